#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "engine/thresholds/slo.hpp"

namespace lueng::thresholds {

// One second of the run's per-second series, for one metric: what an SLO with
// a `window` is evaluated on (the result layer makes these from its time series).
struct SecondValue {
  int64_t second = 0;  // since the test start
  uint64_t samples = 0;
  double sum = 0;  // counter: the sum; rate: the nonzero samples; trend: the sum of the values
  double max = 0;  // trend: the largest value
};

// Why `window` cannot apply to this selector and aggregation, "" when it can.
// The per-second series keeps whole metrics (no tags): http_req_failed and
// checks (rate), http_reqs, iterations, data_sent, data_received and
// dropped_iterations (count, rate), http_req_duration (avg, max).
std::string window_problem(const Selector& selector, const Expression& expression);

// An SLO with a window over the per-second series: the threshold is checked on
// every window of slo.window seconds ending at each second of the series, and
// is missed when any window misses it (warn likewise). A window in which a rate
// or a trend got no samples is skipped; a counter's window counts its zeros
// once the metric has a sample anywhere in the run. A run shorter than one
// window is one window: the whole run (`run_seconds` long). The result's value
// is the worst window's, and worst_window says when it was. Windows that end
// before the second `judged_from` are left out (abort_on_fail's delay).
SloResult evaluate_windows(const SloDefinition& slo, const std::vector<SecondValue>& seconds,
                           double run_seconds, int64_t judged_from = 0);

// Whether the series holds one full window yet: until then, a live check
// (abort_on_fail) waits rather than judging a few seconds as a whole window.
bool has_full_window(const SloDefinition& slo, const std::vector<SecondValue>& seconds);

}  // namespace lueng::thresholds
