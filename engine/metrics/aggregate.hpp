#pragma once

#include <cstdint>
#include <limits>

#include "engine/metrics/histogram.hpp"
#include "engine/metrics/metric.hpp"

namespace lueng::metrics {

// The running summary of one metric for one tag set. Which fields mean something
// depends on the metric type: counters use sum/count, rates nonzero/count, gauges
// last/min/max, trends the histogram (which also keeps exact count/sum/min/max).
struct Aggregate {
  uint64_t count = 0;
  double sum = 0;
  uint64_t nonzero = 0;
  double last = 0;
  uint64_t last_time_ns = 0;
  double min = std::numeric_limits<double>::infinity();
  double max = -std::numeric_limits<double>::infinity();
  Histogram trend;

  void add(MetricType type, double value, uint64_t time_ns);
  void merge(MetricType type, const Aggregate& other);

  // The number a threshold's "value"/"rate"/"count" refers to for this type:
  // counter sum, rate fraction, gauge last value, trend mean.
  double rate() const { return count ? static_cast<double>(nonzero) / count : 0; }
};

}  // namespace lueng::metrics
