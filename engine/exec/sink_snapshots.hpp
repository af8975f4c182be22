#pragma once

#include <cstdint>
#include <mutex>
#include <vector>

#include "engine/metrics/metric_set.hpp"

namespace lueng::exec {

// Each worker's metrics as of its last snapshot, for what the main thread must
// know before a worker has ended: the partial result file written during a long
// run, and the numbers of a worker the run had to end without (Lua code looping
// where no stop reaches it). A worker takes one each second, or less often when
// its many tag sets make a snapshot cost more than about 1% of its time.
class SinkSnapshots {
 public:
  void resize(size_t workers) {
    std::lock_guard lock(mutex_);
    slots_.assign(workers, Slot{});
  }

  void publish(size_t worker, metrics::MetricSet snapshot, uint64_t overflowed_tag_sets) {
    std::lock_guard lock(mutex_);
    if (worker >= slots_.size()) return;  // setup() and teardown() keep none
    slots_[worker].metrics = std::move(snapshot);
    slots_[worker].overflowed_tag_sets = overflowed_tag_sets;
    slots_[worker].taken = true;
  }

  // Adds the last snapshot of `worker` to `into`; false when it never took one.
  bool merge_into(size_t worker, metrics::MetricSet& into, uint64_t& overflowed) const {
    std::lock_guard lock(mutex_);
    if (worker >= slots_.size() || !slots_[worker].taken) return false;
    into.merge(slots_[worker].metrics);
    overflowed += slots_[worker].overflowed_tag_sets;
    return true;
  }

 private:
  struct Slot {
    metrics::MetricSet metrics;
    uint64_t overflowed_tag_sets = 0;
    bool taken = false;
  };
  mutable std::mutex mutex_;
  std::vector<Slot> slots_;
};

}  // namespace lueng::exec
