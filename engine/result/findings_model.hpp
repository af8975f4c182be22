#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace lueng::result {

// What the time series says beyond the totals (docs/user-guide.md, Findings), as
// the result model holds it. The analysis computes them (analysis/findings.hpp) when a run
// ends and after a result file is read back; the result file and the reports
// only show what is here.

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
  uint64_t min_requests = 0;  // what each tenth needs for enough data (kDriftMinRequests)
  bool enough_data = false;   // both tenths have at least min_requests
  double p95_first_ms = 0, p95_last_ms = 0, p95_change_percent = 0;
  double error_rate_first = 0, error_rate_last = 0, error_rate_change_percent = 0;
  // Enough data, and the p95 or the error rate rose by more than 30% (the p95 by
  // at least 1 ms too, the error rate by enough failures): drift is a worsening.
  bool flagged = false;
  // "drifting", "stable" or "not enough data".
  const char* state() const {
    if (!enough_data) return "not enough data";
    return flagged ? "drifting" : "stable";
  }
};

// The load generator itself could not deliver the load asked for, so the numbers
// describe lueng's limit as much as the target's. Each part: the seconds (since
// the test start) it was seen in, first to last, and how much.
struct GeneratorLimit {
  struct Span {
    int64_t first = -1, last = -1;  // -1: not seen
    int64_t seconds = 0;            // how many seconds it was seen in
    bool seen() const { return seconds > 0; }
    void add(int64_t second) {
      if (first < 0) first = second;
      last = second;
      ++seconds;
    }
  };
  Span dropped;  // iterations dropped: no free VU (maxVUs ran out)
  uint64_t dropped_iterations = 0;
  Span lagging;  // iteration_start_lag p(95) above kGeneratorLagMs
  double worst_lag_p95_ms = 0;
  Span saturated;  // a worker's loop busy at least kGeneratorBusyShare of the second
  double worst_busy = 0;
  std::string text;  // the finding in one line, as the reports print it
  bool any() const { return dropped.seen() || lagging.seen() || saturated.seen(); }
};

// The target's memory over the run (options.monitor): a scraped memory series
// (a name with "memory" ending in "_bytes", such as process_resident_memory_bytes)
// from its baseline (the first value after the monitor's warm-up) to its last value.
struct TargetGrowth {
  std::string metric;  // the lueng gauge
  std::string source;  // "host:port"
  std::string labels;  // the series' own labels, "" when none: "pool=db"
  double baseline = 0, last = 0, growth_percent = 0;
  double from_second = 0, to_second = 0;
  bool flagged = false;  // grew by more than kTargetGrowthLimitPercent
};

struct Findings {
  std::vector<BreakingPoint> breaking_points;
  std::vector<Recovery> recoveries;
  std::vector<Drift> drifts;
  std::optional<GeneratorLimit> generator;  // set when the generator could not keep up
  std::vector<TargetGrowth> target_growth;
  bool empty() const {
    return breaking_points.empty() && recoveries.empty() && drifts.empty() && !generator &&
           target_growth.empty();
  }
};

}  // namespace lueng::result
