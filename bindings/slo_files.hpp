#pragma once

#include <string>
#include <vector>

#include <rapidjson/document.h>

#include "engine/thresholds/slo.hpp"

namespace lueng::bindings {

// Runs a Lua file that returns a thresholds table (lueng validate --slo) and
// gives the table as JSON. Throws thresholds::ThresholdError naming the file.
rapidjson::Document load_thresholds_file(const std::string& path);

// Adds the advice of the recommendation rules (require "lueng.recommendations",
// found in `module_dirs`) to every SLO that is not met. Returns "" or a problem
// with the rules (the report is then left without recommendations).
std::string add_recommendations(thresholds::SloReport& report,
                                const std::vector<std::string>& module_dirs);

}  // namespace lueng::bindings
