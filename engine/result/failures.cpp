#include "engine/result/failures.hpp"

#include <algorithm>
#include <charconv>
#include <map>
#include <tuple>

#include "engine/common/error_code_name.hpp"
#include "engine/metrics/tags.hpp"

namespace lueng::result {

namespace {

using Key = std::tuple<std::string, std::string, int, int>;

Key key_of(const FailureCount& row) {
  return {row.method, row.endpoint, row.status, row.error_code};
}

int tag_number(std::string_view tags, std::string_view key) {
  std::string_view value;
  int number = 0;
  if (metrics::find_tag(tags, key, &value))
    std::from_chars(value.data(), value.data() + value.size(), number);
  return number;
}

std::string tag_text(std::string_view tags, std::string_view key) {
  std::string_view value;
  return metrics::find_tag(tags, key, &value) ? std::string(value) : std::string();
}

}  // namespace

std::string failure_kind(int status, int error_code) {
  // An answer's error_code is 1000 + its status: the status says it better.
  if (status != 0) return "HTTP " + std::to_string(status);
  if (error_code != 0)
    return std::string(error_code_name(static_cast<uint16_t>(error_code))) + " (error_code " +
           std::to_string(error_code) + ")";
  return "HTTP " + std::to_string(status);
}

std::vector<FailureCount> failures_from_metrics(const RunResult& result, EndpointKey key) {
  std::map<Key, uint64_t> counts;
  if (const auto* failed = result.metrics.find("http_req_failed"))
    for (const auto& [tags, aggregate] : failed->by_tags) {
      if (aggregate.nonzero == 0) continue;
      std::string endpoint = key == EndpointKey::kEndpoint ? tag_text(tags, "endpoint") : "";
      if (endpoint.empty()) endpoint = tag_text(tags, "name");
      counts[{tag_text(tags, "method"), endpoint, tag_number(tags, "status"),
              tag_number(tags, "error_code")}] += aggregate.nonzero;
    }
  std::vector<FailureCount> rows;
  for (const auto& [k, count] : counts) {
    const auto& [method, endpoint, status, code] = k;
    rows.push_back({method, endpoint, status, code, failure_kind(status, code), count});
  }
  return rows;
}

std::vector<FailureCount> failure_table(const RunResult& result) {
  if (!result.failures.empty()) return result.failures;
  std::vector<FailureCount> rows = failures_from_metrics(result, EndpointKey::kEndpoint);
  uint64_t unlisted = 0;
  rank_failures(rows, &unlisted);
  return rows;
}

void rank_failures(std::vector<FailureCount>& rows, uint64_t* unlisted) {
  std::stable_sort(rows.begin(), rows.end(), [](const auto& a, const auto& b) {
    if (a.count != b.count) return a.count > b.count;
    return key_of(a) < key_of(b);
  });
  for (size_t i = kMaxFailureRows; i < rows.size(); ++i) *unlisted += rows[i].count;
  if (rows.size() > kMaxFailureRows) rows.resize(kMaxFailureRows);
}

void merge_failures(std::vector<FailureCount>& rows, const std::vector<FailureCount>& more,
                    uint64_t* unlisted) {
  std::map<Key, size_t> index;
  for (size_t i = 0; i < rows.size(); ++i) index.emplace(key_of(rows[i]), i);
  for (const FailureCount& row : more) {
    auto [it, added] = index.try_emplace(key_of(row), rows.size());
    if (added)
      rows.push_back(row);
    else
      rows[it->second].count += row.count;
  }
  rank_failures(rows, unlisted);
}

}  // namespace lueng::result
