#pragma once

#include <stdexcept>
#include <string>
#include <string_view>

#include "engine/result/run_result.hpp"

namespace lueng::result {

// A result file that cannot be read back; the message names the file and what
// is wrong (exit status 104 for the commands that read files).
class ResultReadError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Reads a result file (docs/results.md) back into the result model: run facts,
// scenarios, options, every metric with its tag sets, sub-metrics and
// histograms, the time series, errors and the SLO report. Percentiles and
// thresholds evaluate on it exactly as at the end of the run.
RunResult read_result_file(const std::string& path);
// The same from JSON text; `name` names the source in messages.
RunResult result_from_json(std::string_view json, const std::string& name);

}  // namespace lueng::result
