#include "engine/exec/scenario_order.hpp"

#include <algorithm>
#include <tuple>
#include <utility>

namespace lueng::exec {

namespace {

bool is_name_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

size_t skip_blanks(std::string_view text, size_t at) {
  while (at < text.size() &&
         (text[at] == ' ' || text[at] == '\t' || text[at] == '\n' || text[at] == '\r'))
    ++at;
  return at;
}

// `=` that is an assignment, not `==`.
bool assigns_at(std::string_view text, size_t at) {
  at = skip_blanks(text, at);
  return at < text.size() && text[at] == '=' && (at + 1 >= text.size() || text[at + 1] != '=');
}

// Whether the occurrence of `name` at `at` is a key: `name =` as a bare name, or
// `["name"] =` / `['name'] =`.
bool is_key_at(std::string_view text, std::string_view name, size_t at) {
  size_t end = at + name.size();
  if (at > 0 && (text[at - 1] == '"' || text[at - 1] == '\'')) {
    char quote = text[at - 1];
    size_t open = at - 1;  // the quote; before it, blanks and '['
    while (open > 0 && (text[open - 1] == ' ' || text[open - 1] == '\t')) --open;
    if (open == 0 || text[open - 1] != '[') return false;
    if (end >= text.size() || text[end] != quote) return false;
    size_t close = skip_blanks(text, end + 1);
    return close < text.size() && text[close] == ']' && assigns_at(text, close + 1);
  }
  if (at > 0 && (is_name_char(text[at - 1]) || text[at - 1] == '.')) return false;
  if (end < text.size() && is_name_char(text[end])) return false;
  return assigns_at(text, end);
}

}  // namespace

size_t key_position(std::string_view text, std::string_view name, size_t from) {
  if (name.empty()) return std::string_view::npos;
  for (size_t at = text.find(name, from); at != std::string_view::npos;
       at = text.find(name, at + 1))
    if (is_key_at(text, name, at)) return at;
  return std::string_view::npos;
}

void order_as_written(std::vector<ScenarioConfig>& scenarios, std::string_view script_text) {
  size_t table = key_position(script_text, "scenarios");
  size_t from = table == std::string_view::npos ? 0 : table;
  using Key = std::tuple<double, size_t, std::string>;
  std::vector<std::pair<Key, ScenarioConfig>> keyed;
  for (ScenarioConfig& s : scenarios)
    keyed.emplace_back(Key{s.start_time, key_position(script_text, s.name, from), s.name},
                       std::move(s));
  std::stable_sort(keyed.begin(), keyed.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  scenarios.clear();
  for (auto& [key, s] : keyed) scenarios.push_back(std::move(s));
}

}  // namespace lueng::exec
