#include "engine/metrics/aggregate.hpp"

#include <algorithm>

namespace lueng::metrics {

void Aggregate::merge(MetricType type, const Aggregate& other) {
  if (other.count == 0) return;
  count += other.count;
  switch (type) {
    case MetricType::kCounter:
      sum += other.sum;
      break;
    case MetricType::kRate:
      nonzero += other.nonzero;
      break;
    case MetricType::kGauge:
      if (other.last_time_ns >= last_time_ns) {
        last = other.last;
        last_time_ns = other.last_time_ns;
      }
      min = std::min(min, other.min);
      max = std::max(max, other.max);
      break;
    case MetricType::kTrend:
      trend.merge(other.trend);
      break;
  }
}

}  // namespace lueng::metrics
