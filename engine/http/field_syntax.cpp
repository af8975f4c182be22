#include "engine/http/field_syntax.hpp"

#include <fmt/format.h>

namespace lueng::http {

namespace {

bool is_tchar(char c) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
  switch (c) {
    case '!':
    case '#':
    case '$':
    case '%':
    case '&':
    case '\'':
    case '*':
    case '+':
    case '-':
    case '.':
    case '^':
    case '_':
    case '`':
    case '|':
    case '~':
      return true;
    default:
      return false;
  }
}

bool is_control(char c) {
  auto byte = static_cast<unsigned char>(c);
  return (byte < 0x20 && c != '\t') || byte == 0x7f;
}

}  // namespace

bool is_token(std::string_view text) {
  if (text.empty()) return false;
  for (char c : text)
    if (!is_tchar(c)) return false;
  return true;
}

size_t find_invalid_value_byte(std::string_view value) {
  for (size_t i = 0; i < value.size(); ++i)
    if (is_control(value[i])) return i;
  return std::string_view::npos;
}

size_t find_invalid_cookie_value_byte(std::string_view value) {
  for (size_t i = 0; i < value.size(); ++i)
    if (is_control(value[i]) || value[i] == '\t' || value[i] == ';') return i;
  return std::string_view::npos;
}

std::string describe_byte(char c) {
  switch (c) {
    case '\n':
      return "a line feed (\\n)";
    case '\r':
      return "a carriage return (\\r)";
    case '\0':
      return "a NUL byte";
    case '\t':
      return "a tab";
    case ';':
      return "';'";
    case ' ':
      return "a space";
    default:
      break;
  }
  auto byte = static_cast<unsigned char>(c);
  if (byte < 0x20 || byte == 0x7f) return fmt::format("the control character 0x{:02x}", byte);
  if (byte >= 0x80) return fmt::format("the byte 0x{:02x}", byte);
  return fmt::format("'{}'", c);
}

std::string printable(std::string_view text, size_t limit) {
  std::string out;
  for (size_t i = 0; i < text.size() && i < limit; ++i) {
    auto byte = static_cast<unsigned char>(text[i]);
    if (text[i] == '\r') {
      out += "\\r";
    } else if (text[i] == '\n') {
      out += "\\n";
    } else if (text[i] == '\0') {
      out += "\\0";
    } else if (byte < 0x20 || byte >= 0x7f) {
      out += fmt::format("\\x{:02x}", byte);
    } else {
      out += text[i];
    }
  }
  if (text.size() > limit) out += "...";
  return out;
}

}  // namespace lueng::http
