#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "engine/metrics/metric.hpp"

namespace lueng::result {

// One second of one endpoint (method and endpoint tag, else name tag, as the
// reports' endpoint table): the requests that ended in it.
struct EndpointPoint {
  int64_t second = 0;  // since the test start
  uint64_t requests = 0;
  uint64_t failed = 0;
  // http_req_duration of those requests (ms).
  double avg = 0, p95 = 0, p99 = 0, max = 0;
};

struct EndpointSeries {
  std::string method;
  std::string name;
  std::vector<EndpointPoint> points;  // seconds with requests only, in order
};

// One second of a custom metric. `value` is what the metric type makes of the
// second's samples: a counter's sum, a rate's share of non-zero samples (0..1),
// a gauge's last value, a trend's mean; p95 and max are a trend's (a gauge's
// max), 0 for the other types.
struct MetricPoint {
  int64_t second = 0;
  uint64_t count = 0;  // samples
  double value = 0;
  double p95 = 0;
  double max = 0;
};

struct MetricSeries {
  std::string name;
  metrics::MetricType type = metrics::MetricType::kCounter;
  bool is_time = false;
  std::vector<MetricPoint> points;  // seconds with samples only, in order
};

// Endpoints a run keeps a series of; the requests of any further endpoint are
// counted under kOtherEndpoint (method ""), so every request is in one series.
inline constexpr size_t kMaxEndpointSeries = 30;
inline constexpr const char* kOtherEndpoint = "(other)";

}  // namespace lueng::result
