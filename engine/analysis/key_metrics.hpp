#pragma once

#include <cstdint>

#include "engine/result/run_result.hpp"

namespace lueng::analysis {

// The handful of numbers a reader looks at first, shared by the reports and
// `lueng compare`. Durations in milliseconds, rates per second of the run.
struct KeyMetrics {
  uint64_t requests = 0;
  double request_rate = 0;
  uint64_t failed = 0;
  double error_rate = 0;  // failed / requests, 0 without requests
  double duration_avg = 0, duration_p50 = 0, duration_p90 = 0, duration_p95 = 0, duration_p99 = 0,
         duration_max = 0;
  uint64_t iterations = 0;
  double iteration_rate = 0;
  uint64_t checks_passed = 0, checks_failed = 0;
  double data_sent = 0, data_received = 0;
  double vus_max = 0;  // the most VUs active at once
};

KeyMetrics key_metrics(const result::RunResult& result);

}  // namespace lueng::analysis
