#pragma once

#include <memory>
#include <string>

#include "engine/output/output.hpp"

#include "engine/output/run_result.hpp"

namespace lueng::output {

// Locust's three CSV files, rendered from the result model (so `lueng report`
// writes the same files offline):
//   PREFIX_stats.csv          one row per endpoint (method, name tag) and an Aggregated row
//   PREFIX_stats_history.csv  one Aggregated row per second of the run
//   PREFIX_failures.csv       failed requests per method, name and error
// Returns "" or the problem, naming the file.
std::string write_locust_csv(const RunResult& result, const std::string& prefix);

// --csv PREFIX (--out locust=PREFIX): checks now that PREFIX's directory can
// take the files, writes them when the run has ended.
std::unique_ptr<Output> open_locust_output(const std::string& prefix, std::string* error);

std::string locust_stats_csv(const RunResult& result);
std::string locust_history_csv(const RunResult& result);
std::string locust_failures_csv(const RunResult& result);

}  // namespace lueng::output
