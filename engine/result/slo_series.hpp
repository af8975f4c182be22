#pragma once

#include <string_view>
#include <vector>

#include "engine/result/run_result.hpp"
#include "engine/thresholds/evaluate.hpp"

namespace lueng::result {

// One metric's seconds as the time series keeps them, for SLOs with a window
// (engine/thresholds/windows.hpp names the metrics it keeps); empty for others.
std::vector<thresholds::SecondValue> seconds_of(std::string_view metric,
                                                const std::vector<TimePoint>& series);

// seconds_of() over `series`, which must outlive the function.
thresholds::SecondsOf seconds_in(const std::vector<TimePoint>& series);

}  // namespace lueng::result
