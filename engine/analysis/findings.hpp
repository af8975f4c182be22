#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "engine/analysis/target_findings.hpp"
#include "engine/result/findings_model.hpp"
#include "engine/result/run_result.hpp"

namespace lueng::analysis {

// How the findings of a run (result/findings_model.hpp) are found, and how each reads.

inline constexpr double kRecoveryMargin = 0.20;
// The error rate marks a breaking point only with this many failures in the window:
// one failure among the first dozen requests of a ramp is 8%, and not a break.
inline constexpr uint64_t kBreakingMinFailures = 5;
inline constexpr double kDriftLimitPercent = 30;
inline constexpr double kDriftMinSeconds = 60;
// A p95 drifts only when it rose by this much too: on a service answering in
// microseconds, the scheduling noise of the load generator alone moves the p95 by
// more than 30% (a hundred µs out of three hundred).
inline constexpr double kDriftMinP95ChangeMs = 1;
// In each tenth compared. Below it, a tenth's p95 rests on a handful of requests
// and one failure moves its error rate by more than a point, ten times the
// 0.1-point floor (docs/user-guide.md, Findings).
inline constexpr uint64_t kDriftMinRequests = 100;
// Error-rate drift needs this many more failures in the last tenth than in the
// first: with 100 requests a tenth, one failure alone is a whole point of error rate.
inline constexpr uint64_t kDriftMinExtraFailures = 5;

// iteration_start_lag p(95) of a second beyond which the generator is late.
inline constexpr double kGeneratorLagMs = 10;
// The share of a second a worker's loop was busy from which it counts as saturated,
// and in how many seconds it must be so (a busy second alone is a burst).
inline constexpr double kGeneratorBusyShare = 0.95;
inline constexpr int64_t kGeneratorBusyMinSeconds = 2;

// What the time series says beyond the totals (docs/user-guide.md, Findings):
// computed once the run has ended and after a result file is read back, and kept
// in RunResult::findings for the result file and the reports.
result::Findings compute_findings(const result::RunResult& result);

// One line per finding, as the summary, Markdown and HTML reports print it.
std::string describe(const result::BreakingPoint& finding);
std::string describe(const result::Recovery& finding);
std::string describe(const result::Drift& finding);
std::string describe(const result::GeneratorLimit& finding);

}  // namespace lueng::analysis
