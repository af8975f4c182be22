#include "engine/thresholds/selector.hpp"

#include <cctype>

#include <fmt/format.h>

#include "engine/common/text.hpp"
#include "engine/metrics/tags.hpp"

namespace lueng::thresholds {

std::optional<Selector> parse_selector(std::string_view text, std::string* error) {
  Selector selector;
  selector.text = std::string(text);
  size_t open = text.find('{');
  selector.metric = std::string(trim_whitespace(text.substr(0, open)));
  if (selector.metric.empty()) {
    *error = "the metric name is missing";
    return std::nullopt;
  }
  if (open == std::string_view::npos) {
    if (text.find('}') != std::string_view::npos) {
      *error = "'}' without '{'";
      return std::nullopt;
    }
    return selector;
  }
  size_t close = text.rfind('}');
  if (close == std::string_view::npos || close < open) {
    *error = "the tag filter is not closed with '}'";
    return std::nullopt;
  }
  if (!trim_whitespace(text.substr(close + 1)).empty()) {
    *error = fmt::format("unexpected '{}' after the tag filter",
                         trim_whitespace(text.substr(close + 1)));
    return std::nullopt;
  }
  std::string_view rest = text.substr(open + 1, close - open - 1);
  if (trim_whitespace(rest).empty()) {
    *error = "the tag filter {} is empty";
    return std::nullopt;
  }
  while (true) {
    size_t comma = rest.find(',');
    std::string_view pair = rest.substr(0, comma);
    size_t colon = pair.find(':');
    if (colon == std::string_view::npos) {
      *error = fmt::format("'{}' is not tag:value", trim_whitespace(pair));
      return std::nullopt;
    }
    std::string_view key = trim_whitespace(pair.substr(0, colon));
    if (key.empty()) {
      *error = fmt::format("'{}' has no tag name before ':'", trim_whitespace(pair));
      return std::nullopt;
    }
    selector.tags.emplace_back(std::string(key),
                               std::string(trim_whitespace(pair.substr(colon + 1))));
    if (comma == std::string_view::npos) break;
    rest = rest.substr(comma + 1);
  }
  selector.filter = metrics::encode_tags(selector.tags);
  return selector;
}

}  // namespace lueng::thresholds
