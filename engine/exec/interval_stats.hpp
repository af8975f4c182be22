#pragma once

#include <algorithm>
#include <cstdint>
#include <vector>

#include "engine/metrics/aggregate.hpp"

#include "engine/metrics/histogram.hpp"
#include "engine/result/run_result.hpp"

namespace lueng::exec {

// One endpoint's requests in one second (its index is EndpointKeys').
struct EndpointSecond {
  uint64_t requests = 0;
  uint64_t failed = 0;
  metrics::Histogram duration;

  void clear() {
    requests = failed = 0;
    duration.clear();
  }
  void merge(const EndpointSecond& other) {
    requests += other.requests;
    failed += other.failed;
    duration.merge(other.duration);
  }
};

// One custom metric's samples in one second (its index is the metric id).
struct CustomSecond {
  metrics::MetricType type = metrics::MetricType::kCounter;
  metrics::Aggregate values;

  void clear() {  // keeps the histogram's memory
    metrics::Histogram trend = std::move(values.trend);
    trend.clear();
    values = {};
    values.trend = std::move(trend);
  }
  void merge(const CustomSecond& other) {
    type = other.type;
    values.merge(type, other.values);
  }
};

// What happened during one second of the test, for the time series of the
// result file and the live view. Workers fill one each; the main thread merges.
struct IntervalStats : result::IntervalCounts {
  int64_t second = 0;  // since the test start
  // By endpoint index (EndpointKeys) and by custom metric id; sized on first use,
  // so a second without such samples may have shorter vectors. The second's
  // http_req_duration is its endpoints' together (duration_into()).
  std::vector<EndpointSecond> endpoints;
  std::vector<CustomSecond> custom;
  bool has_custom = false;  // some custom metric has a sample this second
  // What tells a saturated generator from a slow target, besides `dropped`: how
  // late arrival-rate iterations started (ms), and the share of the second the
  // worker's loop was busy (the busiest worker's, once merged).
  metrics::Histogram start_lag;
  double busy = 0;

  bool empty() const {
    return requests == 0 && iterations == 0 && checks_passed == 0 && checks_failed == 0 &&
           dropped == 0 && start_lag.count() == 0 && busy == 0 && !has_custom;
  }

  // Starts over for another second, keeping the histograms' memory.
  void reset(int64_t new_second) {
    static_cast<result::IntervalCounts&>(*this) = {};
    second = new_second;
    start_lag.clear();
    busy = 0;
    for (EndpointSecond& e : endpoints) e.clear();
    if (has_custom)
      for (CustomSecond& c : custom) c.clear();
    has_custom = false;
  }

  // The second's http_req_duration into `out` (cleared first).
  void duration_into(metrics::Histogram& out) const {
    out.clear();
    for (const EndpointSecond& e : endpoints)
      if (e.requests > 0) out.merge(e.duration);
  }

  EndpointSecond& endpoint(uint32_t index) {
    if (index >= endpoints.size()) [[unlikely]]
      endpoints.resize(index + 1);
    return endpoints[index];
  }
  CustomSecond& custom_metric(metrics::MetricId metric) {
    if (metric >= custom.size()) [[unlikely]]
      custom.resize(metric + 1);
    has_custom = true;
    return custom[metric];
  }

  void merge(const IntervalStats& other) {
    add(other);
    start_lag.merge(other.start_lag);
    busy = std::max(busy, other.busy);
    for (uint32_t i = 0; i < other.endpoints.size(); ++i)
      if (other.endpoints[i].requests > 0) endpoint(i).merge(other.endpoints[i]);
    if (other.has_custom)
      for (metrics::MetricId m = 0; m < other.custom.size(); ++m)
        if (other.custom[m].values.count > 0) custom_metric(m).merge(other.custom[m]);
  }
};

}  // namespace lueng::exec
