#pragma once

#include <string>

#include "engine/result/run_result.hpp"

namespace lueng::report {

// The summary's section on script errors: each distinct message with its count
// and place. "" without any.
std::string render_script_errors(const result::RunResult& result);

}  // namespace lueng::report
