#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace lueng::hotel_mock {

// Lowercase hex of HMAC-SHA256(key, message).
std::string hmac_sha256_hex(std::string_view key, std::string_view message);

// Compares in time independent of where the inputs differ, so a caller probing
// signatures learns nothing from response times.
bool constant_time_equals(std::string_view a, std::string_view b);

// WhatsApp Cloud API: `header` is X-Hub-Signature-256, "sha256=" + hex HMAC of the
// raw body under the app secret.
bool whatsapp_signature_valid(std::string_view secret, const std::string* header,
                              std::string_view raw_body);

// Mercado Pago: the manifest "id:<data.id>;request-id:<x-request-id>;ts:<ts>;" with
// parts whose value is absent left out whole.
std::string mercadopago_manifest(const std::string* data_id, const std::string* request_id,
                                 std::optional<std::string_view> ts);

// `x_signature` is "ts=<ms>,v1=<hex>"; the v1 must be the HMAC of the manifest.
bool mercadopago_signature_valid(std::string_view secret, const std::string* x_signature,
                                 const std::string* data_id, const std::string* request_id);

}  // namespace lueng::hotel_mock
