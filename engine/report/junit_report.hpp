#pragma once

#include <string>

#include "engine/result/run_result.hpp"

namespace lueng::report {

// The run as JUnit XML for CI test reporters (--out junit=FILE, lueng report
// --junit): a test suite of SLOs with one test case per SLO, failing on FAIL,
// CRITICAL and NO DATA with the measured value against the threshold, and a
// suite of checks with one test case per check, failing when any sample failed.
std::string render_junit_report(const result::RunResult& result);

}  // namespace lueng::report
