#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "engine/output/run_result.hpp"

namespace lueng::output {

// What the time series says beyond the totals (docs/user-guide.md, Findings).

// Ramping scenarios: the first 10 s window whose p95 or error rate crosses the
// scenario's breakingPoint.
struct BreakingPoint {
  std::string scenario;
  double p95_limit_ms = 0, error_rate_limit = 0;
  bool reached = false;
  int64_t second = 0;  // end of the window, since the test start
  std::string cause;   // "p95" or "error rate"
  double p95_ms = 0, error_rate = 0;
  double vus = 0, request_rate = 0;  // at that moment
};

// After a spike stage: how long until p95 is back within 20% of the level
// before the spike.
struct Recovery {
  std::string scenario;
  int64_t spike_start = 0, spike_end = 0;  // seconds since the test start
  double before_p95_ms = 0;
  bool recovered = false;
  double seconds = 0;  // from the end of the spike
};

// Long constant load: the last tenth against the first tenth after warm-up, of
// a constant scenario or of the longest hold of a ramping one (consecutive
// stages that keep the target of the one before).
struct Drift {
  std::string scenario;
  bool hold = false;                          // a ramping scenario's hold, not a whole scenario
  double stretch_start = 0, stretch_end = 0;  // what was judged, seconds since the test start
  uint64_t requests_first = 0, requests_last = 0;  // in the two tenths compared
  bool enough_data = false;                        // both tenths have at least kDriftMinRequests
  double p95_first_ms = 0, p95_last_ms = 0, p95_change_percent = 0;
  double error_rate_first = 0, error_rate_last = 0, error_rate_change_percent = 0;
  // Enough data, and the p95 or the error rate rose by more than 30% (the p95 by
  // at least 1 ms too, the error rate by enough failures): drift is a worsening.
  bool flagged = false;
  // "drifting", "stable" or "not enough data".
  const char* state() const;
};

// The load generator itself could not deliver the load asked for, so the numbers
// describe lueng's limit as much as the target's. Each part: the seconds (since
// the test start) it was seen in, first to last, and how much.
struct GeneratorLimit {
  struct Span {
    int64_t first = -1, last = -1;  // -1: not seen
    int64_t seconds = 0;            // how many seconds it was seen in
    bool seen() const { return seconds > 0; }
    void add(int64_t second);
  };
  Span dropped;  // iterations dropped: no free VU (maxVUs ran out)
  uint64_t dropped_iterations = 0;
  Span lagging;  // iteration_start_lag p(95) above kGeneratorLagMs
  double worst_lag_p95_ms = 0;
  Span saturated;  // a worker's loop busy at least kGeneratorBusyShare of the second
  double worst_busy = 0;
  bool any() const { return dropped.seen() || lagging.seen() || saturated.seen(); }
};

struct Findings {
  std::vector<BreakingPoint> breaking_points;
  std::vector<Recovery> recoveries;
  std::vector<Drift> drifts;
  std::optional<GeneratorLimit> generator;  // set when the generator could not keep up
  bool empty() const {
    return breaking_points.empty() && recoveries.empty() && drifts.empty() && !generator;
  }
};

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

Findings compute_findings(const RunResult& result);

// One line per finding, as the summary, Markdown and HTML reports print it.
std::string describe(const BreakingPoint& finding);
std::string describe(const Recovery& finding);
std::string describe(const Drift& finding);
std::string describe(const GeneratorLimit& finding);

}  // namespace lueng::output
