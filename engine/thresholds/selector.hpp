#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace lueng::thresholds {

// The key of a threshold: a metric, or a sub-metric `metric{tag:value,tag2:value}`
// (the samples whose tags include every listed tag with that value).
struct Selector {
  std::string text;    // as written
  std::string metric;  // the metric's name
  std::vector<std::pair<std::string, std::string>> tags;
  std::string filter;  // the tags as a canonical tag set (engine/metrics/tags.hpp), "" for none
};

// k6's sub-metric syntax; spaces around names and values are ignored. Nothing
// (and *error) when the braces or a tag are malformed.
std::optional<Selector> parse_selector(std::string_view text, std::string* error);

}  // namespace lueng::thresholds
