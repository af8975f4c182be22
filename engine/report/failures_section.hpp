#pragma once

#include <string>

#include "engine/result/run_result.hpp"

namespace lueng::report {

// The summary's failures table: failed requests by endpoint, status and error
// code, each with its count and first message (result::failure_table). "" when
// no request failed.
std::string render_failures(const result::RunResult& result);

// "-" for 0 (no response, no error code), else the number: the reports' cells.
std::string failure_number(int value);

}  // namespace lueng::report
