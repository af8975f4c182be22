#pragma once

#include <algorithm>
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

  // Inline: every sample comes through here.
  void add(MetricType type, double value, uint64_t time_ns) {
    ++count;
    switch (type) {
      case MetricType::kCounter:
        sum += value;
        break;
      case MetricType::kRate:
        if (value != 0) ++nonzero;
        break;
      case MetricType::kGauge:
        if (time_ns >= last_time_ns) {
          last = value;
          last_time_ns = time_ns;
        }
        min = std::min(min, value);
        max = std::max(max, value);
        break;
      case MetricType::kTrend:
        trend.add(value);
        break;
    }
  }
  void merge(MetricType type, const Aggregate& other);

  // The number a threshold's "value"/"rate"/"count" refers to for this type:
  // counter sum, rate fraction, gauge last value, trend mean.
  double rate() const { return count ? static_cast<double>(nonzero) / count : 0; }
};

}  // namespace lueng::metrics
