#pragma once

#include <cstdint>

#include <uv.h>

namespace lueng::http {

// Milliseconds from one uv_hrtime() reading to a later one; 0 when `end_ns` is not
// later (a phase that never started).
inline double milliseconds_between(uint64_t start_ns, uint64_t end_ns) {
  return end_ns > start_ns ? static_cast<double>(end_ns - start_ns) / 1e6 : 0.0;
}

// A one-shot uv_timer_t owned like a plain member: the owner may be destroyed at any
// time, the handle's memory is released later in its close callback.
class Timer {
 public:
  using Callback = void (*)(void* context);

  Timer(uv_loop_t* loop, Callback callback, void* context);
  ~Timer();
  Timer(const Timer&) = delete;
  Timer& operator=(const Timer&) = delete;

  // Fires once after `milliseconds` (0: on the next loop iteration), replacing any
  // earlier start.
  void start(uint64_t milliseconds);
  void stop();

 private:
  struct Handle;
  Handle* handle_;
};

}  // namespace lueng::http
