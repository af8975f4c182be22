#include "engine/thresholds/selector.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "engine/common/text.hpp"
#include "engine/metrics/tags.hpp"

namespace lueng::thresholds {

namespace {

// Spaces, then any quotes ('"' or '\''), off both ends: strings.Trim(TrimSpace(s), `"'`).
std::string unquote(std::string_view text) {
  text = trim_whitespace(text);
  while (!text.empty() && (text.front() == '"' || text.front() == '\'')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == '"' || text.back() == '\'')) text.remove_suffix(1);
  return std::string(text);
}

bool has_blank(std::string_view text) {
  return text.find_first_of(" \t\n\v\f\r") != std::string_view::npos;
}

// The shape ParseMetricName accepts between the braces: every entry has a ':' with
// something after it ("{easyas}", "{easyas:}" and "{}" are mistakes).
bool check_tag_shape(std::string_view inside, std::string* error) {
  if (trim_whitespace(inside).empty()) {
    *error = "the tag filter {} is empty";
    return false;
  }
  while (true) {
    size_t comma = inside.find(',');
    std::string_view entry = inside.substr(0, comma);
    size_t colon = entry.find(':');
    if (colon == std::string_view::npos) {
      *error = fmt::format("'{}' is not tag:value", trim_whitespace(entry));
      return false;
    }
    if (colon + 1 == entry.size()) {
      *error = fmt::format("'{}' has no value after ':'", trim_whitespace(entry));
      return false;
    }
    if (comma == std::string_view::npos) return true;
    inside.remove_prefix(comma + 1);
  }
}

}  // namespace

std::optional<std::vector<std::pair<std::string, std::string>>> parse_tag_filter(
    std::string_view text, std::string* error) {
  text = trim_whitespace(text);
  if (text.empty()) {
    *error = "the tag filter is empty";
    return std::nullopt;
  }
  std::vector<std::pair<std::string, std::string>> tags;
  while (true) {
    size_t comma = text.find(',');
    std::string_view entry = text.substr(0, comma);
    if (!entry.empty()) {
      size_t colon = entry.find(':');
      std::string key = unquote(entry.substr(0, colon));
      std::string value = colon == std::string_view::npos ? "" : unquote(entry.substr(colon + 1));
      auto same = [&key](const auto& tag) { return tag.first == key; };
      if (auto it = std::find_if(tags.begin(), tags.end(), same); it != tags.end())
        it->second = std::move(value);
      else
        tags.emplace_back(std::move(key), std::move(value));
    }
    if (comma == std::string_view::npos) break;
    text.remove_prefix(comma + 1);
  }
  return tags;
}

std::optional<Selector> parse_selector(std::string_view text, std::string* error) {
  Selector selector;
  selector.text = std::string(text);
  size_t open = text.find('{');
  size_t close = text.rfind('}');
  selector.metric = std::string(text.substr(0, open));
  if (trim_whitespace(selector.metric).empty()) {
    *error = "the metric name is missing";
    return std::nullopt;
  }
  if (has_blank(selector.metric)) {
    *error = open == std::string_view::npos
                 ? fmt::format("'{}': a metric name has no spaces", selector.metric)
                 : fmt::format("'{}': nothing may stand between the metric name and '{{'",
                               selector.metric);
    return std::nullopt;
  }
  if (open == std::string_view::npos) {
    if (close != std::string_view::npos) {
      *error = "'}' without '{'";
      return std::nullopt;
    }
    return selector;
  }
  if (close == std::string_view::npos || close < open) {
    *error = "the tag filter is not closed with '}'";
    return std::nullopt;
  }
  if (close + 1 != text.size()) {
    *error = fmt::format("unexpected '{}' after the tag filter", text.substr(close + 1));
    return std::nullopt;
  }
  std::string_view inside = text.substr(open + 1, close - open - 1);
  if (!check_tag_shape(inside, error)) return std::nullopt;
  auto tags = parse_tag_filter(inside, error);
  if (!tags) return std::nullopt;
  selector.tags = std::move(*tags);
  selector.filter = metrics::encode_tags(selector.tags);
  return selector;
}

}  // namespace lueng::thresholds
