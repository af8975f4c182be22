#include "engine/result/detail_series_merge.hpp"

#include <algorithm>
#include <map>
#include <string>
#include <utility>

namespace lueng::result {

namespace {

// A merged second's sums before they become weighted means.
struct EndpointSums {
  uint64_t requests = 0, failed = 0;
  double avg = 0, p95 = 0, p99 = 0, max = 0;  // avg, p95, p99 x requests
};

struct MetricSums {
  uint64_t count = 0;
  double value = 0, p95 = 0, max = 0;  // value (but a counter's, a gauge's) and p95 x count
  bool has_value = false;              // a gauge's first value
};

using Key = std::pair<std::string, std::string>;

void merge_endpoints(const std::vector<DetailPart>& parts, RunResult& merged) {
  std::map<Key, size_t> index;  // -> position in `keys`, first seen first
  std::vector<Key> keys;
  std::vector<std::map<int64_t, EndpointSums>> seconds;
  for (const DetailPart& part : parts)
    for (const EndpointSeries& series : part.result->endpoint_series) {
      Key key{series.method, series.name};
      auto it = index.find(key);
      if (it == index.end()) {
        if (keys.size() + 1 >= kMaxEndpointSeries) key = {"", kOtherEndpoint};
        it = index.find(key);
      }
      if (it == index.end()) {
        it = index.emplace(key, keys.size()).first;
        keys.push_back(key);
        seconds.emplace_back();
      }
      for (const EndpointPoint& p : series.points) {
        EndpointSums& sums = seconds[it->second][p.second + part.offset];
        auto weight = static_cast<double>(p.requests);
        sums.requests += p.requests;
        sums.failed += p.failed;
        sums.avg += p.avg * weight;
        sums.p95 += p.p95 * weight;
        sums.p99 += p.p99 * weight;
        sums.max = std::max(sums.max, p.max);
      }
    }
  merged.endpoint_series.clear();
  for (size_t i = 0; i < keys.size(); ++i) {
    EndpointSeries& out = merged.endpoint_series.emplace_back();
    out.method = keys[i].first;
    out.name = keys[i].second;
    for (const auto& [second, s] : seconds[i]) {
      double weight = s.requests > 0 ? static_cast<double>(s.requests) : 1;
      out.points.push_back(
          {second, s.requests, s.failed, s.avg / weight, s.p95 / weight, s.p99 / weight, s.max});
    }
  }
}

void merge_metrics(const std::vector<DetailPart>& parts, RunResult& merged) {
  std::map<std::string, size_t> index;
  std::vector<MetricSeries> out;  // points empty until the end
  std::vector<std::map<int64_t, MetricSums>> seconds;
  for (const DetailPart& part : parts)
    for (const MetricSeries& series : part.result->metric_series) {
      auto [it, added] = index.emplace(series.name, out.size());
      if (added) {
        out.push_back({series.name, series.type, series.is_time, {}});
        seconds.emplace_back();
      } else if (out[it->second].type != series.type) {
        continue;
      }
      for (const MetricPoint& p : series.points) {
        MetricSums& sums = seconds[it->second][p.second + part.offset];
        auto weight = static_cast<double>(p.count);
        sums.count += p.count;
        switch (series.type) {
          case metrics::MetricType::kCounter:
            sums.value += p.value;
            break;
          case metrics::MetricType::kGauge:
            sums.value = sums.has_value ? std::max(sums.value, p.value) : p.value;
            sums.has_value = true;
            break;
          case metrics::MetricType::kRate:
          case metrics::MetricType::kTrend:
            sums.value += p.value * weight;
            sums.p95 += p.p95 * weight;
            break;
        }
        sums.max = sums.count == p.count ? p.max : std::max(sums.max, p.max);
      }
    }
  for (size_t i = 0; i < out.size(); ++i) {
    bool weighted =
        out[i].type == metrics::MetricType::kRate || out[i].type == metrics::MetricType::kTrend;
    for (const auto& [second, s] : seconds[i]) {
      double weight = weighted && s.count > 0 ? static_cast<double>(s.count) : 1;
      out[i].points.push_back({second, s.count, s.value / weight, s.p95 / weight, s.max});
    }
  }
  merged.metric_series = std::move(out);
}

}  // namespace

void merge_detail_series(const std::vector<DetailPart>& parts, RunResult& merged) {
  merge_endpoints(parts, merged);
  merge_metrics(parts, merged);
}

}  // namespace lueng::result
