#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "engine/metrics/histogram.hpp"

namespace lueng::metrics {

// k6's trend statistics, as summaryTrendStats names them: avg, min, med, max,
// count and p(N) with N from 0 to 100 (p(99.9) too).

// "" when `stat` is one, else k6's message ("invalid trend stat 'x', unknown format").
std::string trend_stat_problem(std::string_view stat);

// The statistic of `histogram`; nothing when `stat` is not one.
std::optional<double> trend_stat_value(const Histogram& histogram, std::string_view stat);

}  // namespace lueng::metrics
