#pragma once

#include <cstdint>

#include <uv.h>

namespace lueng::http {

// Milliseconds from one uv_hrtime() reading to a later one; 0 when `end_ns` is not
// later (a phase that never started).
inline double milliseconds_between(uint64_t start_ns, uint64_t end_ns) {
  return end_ns > start_ns ? static_cast<double>(end_ns - start_ns) / 1e6 : 0.0;
}

// A request's timeout and its "call me on the next loop turn", owned like a plain
// member: the owner may be destroyed at any time (even from the callback), the
// handle's memory is released later in its close callback.
//
// The deadline is checked lazily. Requests follow one another with the same
// timeout, so while the libuv timer runs for an earlier deadline a later one is
// only stored, and clear() only forgets it: no timer start and stop (two heap
// operations and a clock read) per request. When the timer fires before the
// deadline it stored last, it starts again for what is left.
class Timer {
 public:
  using Callback = void (*)(void* context);

  Timer(uv_loop_t* loop, Callback callback, void* context);
  ~Timer();
  Timer(const Timer&) = delete;
  Timer& operator=(const Timer&) = delete;

  // The callback runs once uv_hrtime() has reached `deadline_ns`, unless clear()
  // or stop() comes first. `now_ns`: a uv_hrtime() reading of the caller's.
  void set_deadline(uint64_t deadline_ns, uint64_t now_ns);
  // The callback runs on the next loop iteration (the deadline stays set).
  void fire_soon();
  // No deadline; nothing is due (costs a store).
  void clear();
  // Nothing is due and the libuv timer stops.
  void stop();

 private:
  struct Handle;
  Handle* handle_;
};

}  // namespace lueng::http
