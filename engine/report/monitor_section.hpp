#pragma once

#include <string>

#include "engine/result/run_result.hpp"

namespace lueng::report {

// The HTML report's section on the target's own metrics (options.monitor): each
// endpoint's scrapes and errors, a chart per recorded series and its growth.
// "" without a monitor.
std::string render_monitor_section(const result::RunResult& result);

}  // namespace lueng::report
