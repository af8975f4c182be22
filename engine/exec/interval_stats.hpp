#pragma once

#include <algorithm>
#include <cstdint>

#include "engine/metrics/histogram.hpp"

namespace lueng::exec {

// What happened during one second of the test, for the time series of the
// result file and the live view. Workers fill one each; the main thread merges.
struct IntervalStats {
  int64_t second = 0;  // since the test start
  uint64_t requests = 0;
  uint64_t failed = 0;
  uint64_t iterations = 0;
  uint64_t checks_passed = 0;
  uint64_t checks_failed = 0;
  double data_sent = 0;
  double data_received = 0;
  metrics::Histogram duration;  // http_req_duration
  // What tells a saturated generator from a slow target: iterations an
  // arrival-rate executor could not start, how late the others started (ms), and
  // the share of the second the worker's loop was busy (the busiest worker's, once
  // merged).
  uint64_t dropped = 0;
  metrics::Histogram start_lag;
  double busy = 0;

  bool empty() const {
    return requests == 0 && iterations == 0 && checks_passed == 0 && checks_failed == 0 &&
           dropped == 0 && start_lag.count() == 0 && busy == 0;
  }

  // Starts over for another second, keeping the histogram's memory.
  void reset(int64_t new_second) {
    second = new_second;
    requests = failed = iterations = checks_passed = checks_failed = 0;
    data_sent = data_received = 0;
    duration.clear();
    dropped = 0;
    start_lag.clear();
    busy = 0;
  }

  void merge(const IntervalStats& other) {
    requests += other.requests;
    failed += other.failed;
    iterations += other.iterations;
    checks_passed += other.checks_passed;
    checks_failed += other.checks_failed;
    data_sent += other.data_sent;
    data_received += other.data_received;
    duration.merge(other.duration);
    dropped += other.dropped;
    start_lag.merge(other.start_lag);
    busy = std::max(busy, other.busy);
  }
};

}  // namespace lueng::exec
