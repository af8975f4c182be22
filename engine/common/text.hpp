#pragma once

#include <string_view>

namespace lueng {

// `text` without the spaces and tabs around it: HTTP's optional whitespace
// (RFC 9110 OWS) around header and cookie values.
constexpr std::string_view trim_blanks(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

// `text` without the ASCII white space around it (space, \t, \n, \v, \f, \r):
// what people may type around the parts of a threshold.
constexpr std::string_view trim_whitespace(std::string_view text) {
  constexpr std::string_view kSpace = " \t\n\v\f\r";
  size_t first = text.find_first_not_of(kSpace);
  if (first == std::string_view::npos) return {};
  return text.substr(first, text.find_last_not_of(kSpace) - first + 1);
}

}  // namespace lueng
