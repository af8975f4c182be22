#pragma once

#include <mutex>
#include <utility>
#include <vector>

#include "engine/metrics/aggregate.hpp"
#include "engine/metrics/metric.hpp"
#include "engine/metrics/sink.hpp"

namespace lueng::exec {

// The tracked sub-metrics of every worker as of its last tick, for the main
// thread's per-second abort_on_fail checks, and in one slot more those of the
// main thread, which measures the VU gauges. Each overwrites its own slot once
// a second; copying into the same slot reuses its memory, so steady state
// allocates nothing.
class LiveMetrics {
 public:
  void resize(size_t workers, size_t tracked) {
    std::lock_guard lock(mutex_);
    slots_.assign(workers, std::vector<metrics::Aggregate>(tracked));
  }

  void publish(size_t worker, const std::vector<metrics::TrackedMetric>& tracked) {
    std::lock_guard lock(mutex_);
    if (worker >= slots_.size()) return;  // setup() and teardown() report nothing live
    for (size_t i = 0; i < tracked.size() && i < slots_[worker].size(); ++i)
      slots_[worker][i] = tracked[i].aggregate;
  }

  // What setup() recorded, one aggregate per tracked sub-metric: part of every
  // check, as it is part of the end of the run.
  void set_setup(std::vector<metrics::Aggregate> setup) {
    std::lock_guard lock(mutex_);
    setup_ = std::move(setup);
  }

  // The slots merged (and setup()'s samples), one aggregate per tracked sub-metric.
  std::vector<metrics::Aggregate> merged(const std::vector<metrics::MetricType>& types) {
    std::vector<metrics::Aggregate> out(types.size());
    std::lock_guard lock(mutex_);
    for (size_t i = 0; i < out.size() && i < setup_.size(); ++i) out[i].merge(types[i], setup_[i]);
    for (const auto& slot : slots_)
      for (size_t i = 0; i < out.size() && i < slot.size(); ++i) out[i].merge(types[i], slot[i]);
    return out;
  }

 private:
  std::mutex mutex_;
  std::vector<std::vector<metrics::Aggregate>> slots_;  // [worker, then main][tracked]
  std::vector<metrics::Aggregate> setup_;               // [tracked]
};

}  // namespace lueng::exec
