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

// k6's sub-metric syntax, read as k6 reads it (metrics.ParseMetricName, then
// Metric.AddSubmetric): `metric{tag:value,...}` with the metric name right before
// the brace (no space) and '}' last; every tag has a ':' and something after it;
// spaces, then quotes, around names and values are dropped (`{status:"200"}` selects
// status 200; `{:1}` is a tag with an empty name, as in k6). Nothing (and *error) when
// the braces or a tag are malformed.
std::optional<Selector> parse_selector(std::string_view text, std::string* error);

// What is between the braces, read as k6's AddSubmetric reads it: comma-separated
// `tag:value`, a tag alone meaning an empty value, empty entries skipped, spaces then
// quotes dropped around both, a later value of a tag replacing an earlier one. Nothing
// (and *error) when the text is empty or blank. parse_selector checks the stricter
// shape (every tag has a value) first.
std::optional<std::vector<std::pair<std::string, std::string>>> parse_tag_filter(
    std::string_view text, std::string* error);

}  // namespace lueng::thresholds
