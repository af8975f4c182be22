#pragma once

#include <optional>
#include <string>
#include <string_view>

// Byte-string encodings shared by lueng.crypto and lueng.encoding. Every function
// works on raw bytes (Lua strings may hold any byte, NUL included).
namespace lueng::bindings::codec {

// The four base64 flavours k6 names: "std" (RFC 4648 alphabet, padded),
// "rawstd" (unpadded), "url" (URL-safe alphabet, padded), "rawurl" (unpadded).
struct Base64Variant {
  bool url_alphabet = false;
  bool padded = true;
};

// Parses a variant name; nullopt for anything else.
std::optional<Base64Variant> parse_base64_variant(std::string_view name);

std::string base64_encode(std::string_view bytes, Base64Variant variant = {});

// Decodes text of the variant's alphabet. Padding is optional for every
// variant, but when present it must be correct. On bad input returns nullopt
// and sets *error_offset to the offending character.
std::optional<std::string> base64_decode(std::string_view text, Base64Variant variant,
                                         size_t* error_offset);

// Lowercase hex.
std::string hex_encode(std::string_view bytes);

// Percent-encodes every byte but the RFC 3986 unreserved characters
// (A-Z a-z 0-9 - . _ ~). With space_as_plus, a space becomes '+'
// (application/x-www-form-urlencoded).
std::string url_encode(std::string_view text, bool space_as_plus = false);

// Reverses url_encode: %XX becomes its byte (hex digits in either case), and with
// plus_as_space '+' becomes a space. A '%' not followed by two hex digits is an
// error: nullopt with *error_offset at the '%'.
std::optional<std::string> url_decode(std::string_view text, bool plus_as_space,
                                      size_t* error_offset);

}  // namespace lueng::bindings::codec
