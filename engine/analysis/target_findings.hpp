#pragma once

#include <string>
#include <vector>

#include "engine/result/findings_model.hpp"
#include "engine/result/run_result.hpp"

namespace lueng::analysis {

// The target's memory, as options.monitor scraped it, grew by more than this over
// the run: the guides' soak acceptance (memory growth < 30%).
inline constexpr double kTargetGrowthLimitPercent = 30;

// One finding per scraped memory series with a baseline and a later value.
std::vector<result::TargetGrowth> target_growth(const result::RunResult& result);

std::string describe(const result::TargetGrowth& finding);

}  // namespace lueng::analysis
