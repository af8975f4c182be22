#pragma once

#include <cstdint>
#include <vector>

#include "engine/metrics/metric_set.hpp"
#include "engine/result/run_result.hpp"

namespace lueng::result {

// One input's metrics and how its gauge sample times map onto the merged clock.
struct MetricsPart {
  const metrics::MetricSet* metrics = nullptr;
  uint64_t clock_start_ns = 0;  // its result's clock_start_ns
  int64_t start_offset_ns = 0;  // its start after the earliest input's
};

// The metrics of several instances of one test as one run would have them:
// every tag set, sub-metric and total merged as metrics::Aggregate::merge does
// (counters and rates summed, histograms bucket by bucket, a gauge's value the
// one set last on the wall clock). `vus` and `vus_max` count what runs at the
// same time, so their values add up (value, min, max summed per tag set); the
// total's min and max are then those of `series`, the merged per-second sums,
// when it has points. `clock_start_ns` is the merged result's.
metrics::MetricSet merge_metrics(const std::vector<MetricsPart>& parts, uint64_t clock_start_ns,
                                 const std::vector<TimePoint>& series);

}  // namespace lueng::result
