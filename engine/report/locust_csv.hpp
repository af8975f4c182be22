#pragma once

#include <array>
#include <string>

#include "engine/result/run_result.hpp"

namespace lueng::report {

// Locust's three CSV files, rendered from the result model (so `lueng report`
// writes the same files offline):
//   PREFIX_stats.csv          one row per endpoint (method, name tag) and an Aggregated row
//   PREFIX_stats_history.csv  one Aggregated row per second of the run
//   PREFIX_failures.csv       failed requests per method, name and error
std::string locust_stats_csv(const result::RunResult& result);
std::string locust_history_csv(const result::RunResult& result);
std::string locust_failures_csv(const result::RunResult& result);

// Each file by the suffix it adds to PREFIX, in the order they are written
// (--csv PREFIX, --out locust=PREFIX).
struct LocustFile {
  const char* suffix;
  std::string (*render)(const result::RunResult& result);
};
inline constexpr std::array<LocustFile, 3> kLocustFiles = {{
    {"_stats.csv", locust_stats_csv},
    {"_stats_history.csv", locust_history_csv},
    {"_failures.csv", locust_failures_csv},
}};

}  // namespace lueng::report
