#pragma once

#include <string>

#include "engine/analysis/compare.hpp"

namespace lueng::report {

// A comparison of two runs (compare_runs) as `lueng compare` and `lueng run
// --baseline` print it: on the console, as Markdown or as JSON. Each starts with
// the verdict line.
std::string render_comparison_console(const analysis::Comparison& comparison,
                                      const std::string& baseline_name,
                                      const std::string& current_name);
std::string render_comparison_markdown(const analysis::Comparison& comparison,
                                       const std::string& baseline_name,
                                       const std::string& current_name);
std::string render_comparison_json(const analysis::Comparison& comparison,
                                   const std::string& baseline_name,
                                   const std::string& current_name);

}  // namespace lueng::report
