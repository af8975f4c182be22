#pragma once

#include <algorithm>
#include <atomic>
#include <cstdint>

namespace lueng::exec {

// k6's rps option: at most one request per 1/rps seconds over every VU of every
// worker, a token bucket that holds one token (k6's rate.NewLimiter(rps, 1)).
// Lock-free: each request reserves the next free start time and waits for it on
// its own loop.
class RequestPacer {
 public:
  // The uv_hrtime() from which a request asked for at `now_ns` may start; the
  // next one may start `interval_ns` after it.
  uint64_t reserve(uint64_t now_ns, uint64_t interval_ns) {
    uint64_t next = next_ns_.load(std::memory_order_relaxed);
    uint64_t start = 0;
    do {
      start = std::max(now_ns, next);
    } while (!next_ns_.compare_exchange_weak(next, start + interval_ns, std::memory_order_relaxed));
    return start;
  }

 private:
  std::atomic<uint64_t> next_ns_{0};
};

}  // namespace lueng::exec
