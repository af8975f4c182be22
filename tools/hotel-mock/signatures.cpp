#include "tools/hotel-mock/signatures.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "engine/common/text.hpp"

namespace lueng::hotel_mock {

namespace {

std::string lowercase(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + 32);
  }
  return out;
}

}  // namespace

std::string hmac_sha256_hex(std::string_view key, std::string_view message) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(message.data()), message.size(), digest, &length);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex;
  hex.reserve(length * 2);
  for (unsigned int i = 0; i < length; ++i) {
    hex.push_back(kHex[digest[i] >> 4]);
    hex.push_back(kHex[digest[i] & 0xf]);
  }
  return hex;
}

bool constant_time_equals(std::string_view a, std::string_view b) {
  // Lengths are public (a hex digest is always 64 characters); only contents are secret.
  if (a.size() != b.size()) return false;
  return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

bool whatsapp_signature_valid(std::string_view secret, const std::string* header,
                              std::string_view raw_body) {
  static constexpr std::string_view kPrefix = "sha256=";
  if (!header) return false;
  std::string_view value = trim_blanks(*header);
  if (value.size() <= kPrefix.size() || lowercase(value.substr(0, kPrefix.size())) != kPrefix)
    return false;
  std::string received = lowercase(value.substr(kPrefix.size()));
  return constant_time_equals(received, hmac_sha256_hex(secret, raw_body));
}

std::string mercadopago_manifest(const std::string* data_id, const std::string* request_id,
                                 std::optional<std::string_view> ts) {
  std::string manifest;
  // Mercado Pago lowercases alphanumeric ids before signing; numeric ids are unchanged.
  if (data_id && !data_id->empty()) manifest += "id:" + lowercase(*data_id) + ";";
  if (request_id && !request_id->empty()) manifest += "request-id:" + *request_id + ";";
  if (ts && !ts->empty()) manifest += "ts:" + std::string(*ts) + ";";
  return manifest;
}

bool mercadopago_signature_valid(std::string_view secret, const std::string* x_signature,
                                 const std::string* data_id, const std::string* request_id) {
  if (!x_signature) return false;
  std::optional<std::string_view> ts;
  std::optional<std::string_view> v1;
  std::string_view rest = *x_signature;
  while (!rest.empty()) {
    auto comma = rest.find(',');
    std::string_view part = trim_blanks(rest.substr(0, comma));
    rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
    auto eq = part.find('=');
    if (eq == std::string_view::npos) continue;
    std::string_view key = trim_blanks(part.substr(0, eq));
    std::string_view value = trim_blanks(part.substr(eq + 1));
    if (key == "ts") ts = value;
    if (key == "v1") v1 = value;
  }
  if (!v1) return false;
  std::string expected = hmac_sha256_hex(secret, mercadopago_manifest(data_id, request_id, ts));
  return constant_time_equals(lowercase(*v1), expected);
}

}  // namespace lueng::hotel_mock
