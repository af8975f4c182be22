#pragma once

#include <string_view>

namespace lueng::http {

// HTTP tokens (header names, schemes, host names) are ASCII and compared without
// regard to case; std::tolower would consult the C locale on every byte.
constexpr char ascii_lower(char c) {
  return c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c;
}

constexpr bool ascii_iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (ascii_lower(a[i]) != ascii_lower(b[i])) return false;
  }
  return true;
}

}  // namespace lueng::http
