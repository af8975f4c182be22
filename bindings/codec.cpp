#include "bindings/codec.hpp"

#include <array>

namespace lueng::bindings::codec {

namespace {

constexpr std::string_view kStdAlphabet =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
constexpr std::string_view kUrlAlphabet =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
constexpr char kHexDigits[] = "0123456789abcdef";
constexpr char kUpperHexDigits[] = "0123456789ABCDEF";  // RFC 3986 prefers %2F to %2f
constexpr int kInvalid = -1;

// Value of each byte in an alphabet, kInvalid for bytes outside it.
std::array<int, 256> decode_table(std::string_view alphabet) {
  std::array<int, 256> table;
  table.fill(kInvalid);
  for (size_t i = 0; i < alphabet.size(); ++i)
    table[static_cast<unsigned char>(alphabet[i])] = static_cast<int>(i);
  return table;
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return kInvalid;
}

bool is_unreserved(unsigned char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '.' || c == '_' || c == '~';
}

}  // namespace

std::optional<Base64Variant> parse_base64_variant(std::string_view name) {
  if (name == "std") return Base64Variant{false, true};
  if (name == "rawstd") return Base64Variant{false, false};
  if (name == "url") return Base64Variant{true, true};
  if (name == "rawurl") return Base64Variant{true, false};
  return std::nullopt;
}

std::string base64_encode(std::string_view bytes, Base64Variant variant) {
  std::string_view alphabet = variant.url_alphabet ? kUrlAlphabet : kStdAlphabet;
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  size_t i = 0;
  for (; i + 3 <= bytes.size(); i += 3) {
    uint32_t group = static_cast<unsigned char>(bytes[i]) << 16 |
                     static_cast<unsigned char>(bytes[i + 1]) << 8 |
                     static_cast<unsigned char>(bytes[i + 2]);
    out.push_back(alphabet[group >> 18 & 63]);
    out.push_back(alphabet[group >> 12 & 63]);
    out.push_back(alphabet[group >> 6 & 63]);
    out.push_back(alphabet[group & 63]);
  }
  size_t rest = bytes.size() - i;
  if (rest > 0) {
    uint32_t group = static_cast<unsigned char>(bytes[i]) << 16;
    if (rest == 2) group |= static_cast<unsigned char>(bytes[i + 1]) << 8;
    out.push_back(alphabet[group >> 18 & 63]);
    out.push_back(alphabet[group >> 12 & 63]);
    if (rest == 2) out.push_back(alphabet[group >> 6 & 63]);
    if (variant.padded) out.append(rest == 1 ? "==" : "=");
  }
  return out;
}

std::optional<std::string> base64_decode(std::string_view text, Base64Variant variant,
                                         size_t* error_offset) {
  static const std::array<int, 256> std_table = decode_table(kStdAlphabet);
  static const std::array<int, 256> url_table = decode_table(kUrlAlphabet);
  const std::array<int, 256>& table = variant.url_alphabet ? url_table : std_table;

  size_t data_length = text.size();
  while (data_length > 0 && text[data_length - 1] == '=') --data_length;
  size_t padding = text.size() - data_length;
  // One leftover character cannot hold a byte; padding must complete a group of 4.
  if (data_length % 4 == 1 || padding > 2 || (padding > 0 && (data_length + padding) % 4 != 0)) {
    *error_offset = data_length % 4 == 1 ? data_length - 1 : data_length;
    return std::nullopt;
  }
  std::string out;
  out.reserve(data_length * 3 / 4);
  uint32_t group = 0;
  int bits = 0;
  for (size_t i = 0; i < data_length; ++i) {
    int value = table[static_cast<unsigned char>(text[i])];
    if (value == kInvalid) {
      *error_offset = i;
      return std::nullopt;
    }
    group = group << 6 | static_cast<uint32_t>(value);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<char>(group >> bits & 0xff));
    }
  }
  return out;
}

std::string hex_encode(std::string_view bytes) {
  std::string out;
  out.reserve(bytes.size() * 2);
  for (unsigned char c : bytes) {
    out.push_back(kHexDigits[c >> 4]);
    out.push_back(kHexDigits[c & 15]);
  }
  return out;
}

std::string url_encode(std::string_view text, bool space_as_plus) {
  std::string out;
  out.reserve(text.size());
  for (unsigned char c : text) {
    if (is_unreserved(c)) {
      out.push_back(static_cast<char>(c));
    } else if (c == ' ' && space_as_plus) {
      out.push_back('+');
    } else {
      out.push_back('%');
      out.push_back(kUpperHexDigits[c >> 4]);
      out.push_back(kUpperHexDigits[c & 15]);
    }
  }
  return out;
}

std::optional<std::string> url_decode(std::string_view text, bool plus_as_space,
                                      size_t* error_offset) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '%') {
      if (i + 2 >= text.size() || hex_value(text[i + 1]) == kInvalid ||
          hex_value(text[i + 2]) == kInvalid) {
        *error_offset = i;
        return std::nullopt;
      }
      out.push_back(static_cast<char>(hex_value(text[i + 1]) << 4 | hex_value(text[i + 2])));
      i += 2;
    } else if (c == '+' && plus_as_space) {
      out.push_back(' ');
    } else {
      out.push_back(c);
    }
  }
  return out;
}

}  // namespace lueng::bindings::codec
