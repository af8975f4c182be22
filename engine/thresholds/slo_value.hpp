#pragma once

#include <string>

#include "engine/thresholds/slo.hpp"

namespace lueng::thresholds {

// A measured value as the threshold reads it: "12.3ms" for time trends, else a
// number ("0.0123"). The summary, the SLO reports and the abort_on_fail message
// all print values this way.
std::string format_slo_value(const SloResult& result, double value);

}  // namespace lueng::thresholds
