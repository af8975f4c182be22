#pragma once

#include <cstdint>
#include <vector>

#include "engine/result/run_result.hpp"

namespace lueng::result {

// One input's time series and where its second 0 falls on the merged test's
// clock (whole seconds after the earliest input's start).
struct SeriesPart {
  const std::vector<TimePoint>* points = nullptr;
  int64_t offset = 0;
};

// The time series of several instances of one test, aligned by wall-clock
// second: one point per second any of them has. Per second:
// - counts, bytes, dropped iterations, `vus` and `vus_max` are summed;
// - `busy` and the start lag p(95) are the largest (the busiest worker of any
//   instance; the merged p(95) is at most the largest one);
// - http_req_duration: `avg` weighted by requests and `max` are exact; the
//   percentiles are the inputs' weighted by their requests that second (a file
//   keeps no per-second histogram): exact when one input had requests that
//   second, otherwise between the inputs' values;
// - the 10 s window: its request count summed from the merged seconds (exact),
//   its p(95) the inputs' weighted by their window's requests;
// - running totals (Locust's history): min and max exact, avg and percentiles
//   the inputs' latest totals weighted by their requests so far.
std::vector<TimePoint> merge_series(const std::vector<SeriesPart>& parts);

}  // namespace lueng::result
