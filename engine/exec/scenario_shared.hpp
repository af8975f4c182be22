#pragma once

#include <atomic>
#include <cstdint>

namespace lueng::exec {

// State of one scenario that all workers running it share: only atomics, touched
// once per iteration at most.
struct ScenarioShared {
  std::atomic<int64_t> iterations_claimed{0};  // shared-iterations hands out iteration numbers
  std::atomic<int64_t> iterations_done{0};
  std::atomic<int64_t> iterations_interrupted{0};
};

}  // namespace lueng::exec
