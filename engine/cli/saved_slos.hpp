#pragma once

#include <string>

#include "engine/result/k6_results.hpp"
#include "engine/result/run_result.hpp"
#include "engine/thresholds/slo.hpp"

namespace lueng::cli {

// The SLOs of a saved result file evaluated again, offline, as at the end of its
// run: `lueng validate` and `lueng gate` read runs the same way.
struct SavedVerdict {
  thresholds::SloReport report;
  bool has_slos = false;  // false: neither the run nor the --slo file had any
};

// Evaluates the run's own SLOs, or those of `slo_path` (a Lua file returning a
// thresholds table) when it is not empty, with the run's script errors taken
// into the verdict and recommendations added. Throws result::ResultReadError or
// thresholds::ThresholdError for a file that cannot be used (exit 104).
// `command` names the caller in warnings on stderr. With `k6_summary` (the
// result is a k6 summary export), each SLO reads the statistic k6 computed.
SavedVerdict evaluate_saved(const result::RunResult& result, const std::string& result_path,
                            const std::string& slo_path, bool strict, const std::string& command,
                            const result::K6Summary* k6_summary = nullptr);

}  // namespace lueng::cli
