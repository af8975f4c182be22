#include "engine/thresholds/slo_value.hpp"

#include <fmt/format.h>

#include "engine/common/format.hpp"

namespace lueng::thresholds {

std::string format_slo_value(const SloResult& result, double value) {
  Aggregation a = result.slo.threshold.aggregation;
  bool time = result.slo.metric.is_time && a != Aggregation::kCount && a != Aggregation::kRate &&
              a != Aggregation::kValue;
  if (time) return format_ms(value);
  return fmt::format("{:.4g}", value);
}

}  // namespace lueng::thresholds
