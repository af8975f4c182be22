#pragma once

#include <string_view>
#include <vector>

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

// The parts of `text` between separators, empty ones included ("a,,b," is four):
// the comma-separated lists of flags, variables and option arguments.
inline std::vector<std::string_view> split(std::string_view text, char separator) {
  std::vector<std::string_view> parts;
  for (size_t start = 0;;) {
    size_t end = text.find(separator, start);
    parts.push_back(text.substr(start, end == std::string_view::npos ? end : end - start));
    if (end == std::string_view::npos) return parts;
    start = end + 1;
  }
}

}  // namespace lueng
