#pragma once

#include <algorithm>
#include <cstdint>

#include "engine/metrics/histogram.hpp"
#include "engine/result/run_result.hpp"

namespace lueng::exec {

// What happened during one second of the test, for the time series of the
// result file and the live view. Workers fill one each; the main thread merges.
struct IntervalStats : result::IntervalCounts {
  int64_t second = 0;           // since the test start
  metrics::Histogram duration;  // http_req_duration
  // What tells a saturated generator from a slow target, besides `dropped`: how
  // late arrival-rate iterations started (ms), and the share of the second the
  // worker's loop was busy (the busiest worker's, once merged).
  metrics::Histogram start_lag;
  double busy = 0;

  bool empty() const {
    return requests == 0 && iterations == 0 && checks_passed == 0 && checks_failed == 0 &&
           dropped == 0 && start_lag.count() == 0 && busy == 0;
  }

  // Starts over for another second, keeping the histograms' memory.
  void reset(int64_t new_second) {
    static_cast<result::IntervalCounts&>(*this) = {};
    second = new_second;
    duration.clear();
    start_lag.clear();
    busy = 0;
  }

  void merge(const IntervalStats& other) {
    add(other);
    duration.merge(other.duration);
    start_lag.merge(other.start_lag);
    busy = std::max(busy, other.busy);
  }
};

}  // namespace lueng::exec
