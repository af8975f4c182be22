#include "engine/result/views.hpp"

#include <map>
#include <utility>

#include "engine/metrics/tags.hpp"

namespace lueng::result {

namespace {
std::string tag_value(std::string_view tags, std::string_view key) {
  std::string_view value;
  return metrics::find_tag(tags, key, &value) ? std::string(value) : std::string();
}
}  // namespace

std::vector<EndpointStats> endpoint_stats(const RunResult& result, EndpointKey key) {
  std::map<std::pair<std::string, std::string>, EndpointStats> by_endpoint;
  auto entry = [&](std::string_view tags) -> EndpointStats& {
    std::string method = tag_value(tags, "method"), name;
    if (key == EndpointKey::kEndpoint) name = tag_value(tags, "endpoint");
    if (name.empty()) name = tag_value(tags, "name");
    EndpointStats& stats = by_endpoint[{name, method}];
    stats.method = method;
    stats.name = name;
    return stats;
  };
  if (const auto* duration = result.metrics.find("http_req_duration"))
    for (const auto& [tags, aggregate] : duration->by_tags) {
      EndpointStats& stats = entry(tags);
      stats.duration.merge(aggregate.trend);
      stats.requests += aggregate.trend.count();
    }
  if (const auto* failed = result.metrics.find("http_req_failed"))
    for (const auto& [tags, aggregate] : failed->by_tags) entry(tags).failures += aggregate.nonzero;
  std::vector<EndpointStats> out;
  for (auto& [row, stats] : by_endpoint) out.push_back(std::move(stats));
  return out;
}

std::vector<CheckStats> check_stats(const RunResult& result) {
  std::map<std::pair<std::string, std::string>, CheckStats> by_check;
  if (const auto* checks = result.metrics.find("checks"))
    for (const auto& [tags, aggregate] : checks->by_tags) {
      std::string group = tag_value(tags, "group"), name = tag_value(tags, "check");
      CheckStats& stats = by_check[{group, name}];
      stats.group = group;
      stats.name = name;
      stats.passes += aggregate.nonzero;
      stats.fails += aggregate.count - aggregate.nonzero;
    }
  std::vector<CheckStats> out;
  for (auto& [key, stats] : by_check) out.push_back(std::move(stats));
  return out;
}

}  // namespace lueng::result
