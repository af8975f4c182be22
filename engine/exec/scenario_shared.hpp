#pragma once

#include <atomic>
#include <cstdint>

namespace lueng::exec {

// State of one scenario that all workers running it share: only atomics, touched
// once per iteration at most.
struct ScenarioShared {
  std::atomic<int64_t> iterations_claimed{0};  // an executor sharing a count of iterations
  // Numbers every iteration as it starts, over all workers of this process:
  // lueng.scenario.iteration_in_instance (iteration_in_test.hpp).
  std::atomic<int64_t> iterations_started{0};
  std::atomic<int64_t> iterations_done{0};
  std::atomic<int64_t> iterations_interrupted{0};
  std::atomic<int64_t> iterations_dropped{0};
  // Published by each worker once per second for the live progress view.
  std::atomic<int64_t> requests{0};
  std::atomic<int64_t> failed_requests{0};
  std::atomic<int64_t> busy_vus{0};
  std::atomic<int64_t> initialized_vus{0};
  std::atomic<int64_t> started_ns{0};  // uv_hrtime() when the first worker began it, 0 before
};

}  // namespace lueng::exec
