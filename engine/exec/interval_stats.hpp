#pragma once

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

  bool empty() const {
    return requests == 0 && iterations == 0 && checks_passed == 0 && checks_failed == 0;
  }

  // Starts over for another second, keeping the histogram's memory.
  void reset(int64_t new_second) {
    second = new_second;
    requests = failed = iterations = checks_passed = checks_failed = 0;
    data_sent = data_received = 0;
    duration.clear();
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
  }
};

}  // namespace lueng::exec
