#pragma once

#include <cstdint>
#include <limits>
#include <vector>

#include <uv.h>

namespace lueng::exec {

// One pending wake-up at an hrtime deadline, embedded in its owner (a sleeping
// VU, an executor waiting for its next arrival). The owner outlives its time in
// the queue: it cancels the wake-up before it goes.
struct Wakeup {
  using Callback = void (*)(void* context, uint64_t now_ns);
  Wakeup(Callback on_due, void* on_due_context) : callback(on_due), context(on_due_context) {}
  Wakeup(const Wakeup&) = delete;
  Wakeup& operator=(const Wakeup&) = delete;

  bool pending() const { return slot != kIdle; }
  uint64_t due_ns() const { return due; }

 private:
  friend class WakeupQueue;
  static constexpr size_t kIdle = std::numeric_limits<size_t>::max();
  Callback callback;
  void* context;
  uint64_t due = 0;
  size_t slot = kIdle;  // its place in the queue's heap
};

// The wake-ups of one worker, kept as uv_hrtime() deadlines in a heap. A Linux
// timerfd armed at the earliest deadline wakes the loop with microsecond
// precision, where libuv's timers round every delay to whole milliseconds of a
// clock that is only read once per loop iteration: an open model at thousands of
// arrivals per second needs the former. A due wake-up is always run from the
// timerfd's poll callback, never from inside add(), so a callback that adds its
// next wake-up (even one that is already due) cannot recurse or spin: the loop
// polls I/O before it runs again.
//
// Loop thread only. No allocation once the heap has grown to the most wake-ups
// pending at once.
class WakeupQueue {
 public:
  explicit WakeupQueue(uv_loop_t* loop);
  ~WakeupQueue();
  WakeupQueue(const WakeupQueue&) = delete;
  WakeupQueue& operator=(const WakeupQueue&) = delete;

  // Runs `wakeup`'s callback once at `due_ns` (uv_hrtime() clock) or as soon
  // after as the loop gets to it; replaces an earlier pending time.
  void add(Wakeup& wakeup, uint64_t due_ns);
  void cancel(Wakeup& wakeup);
  size_t pending() const { return heap_.size(); }
  // Releases the timerfd's poll handle; nothing runs afterwards.
  void close();

 private:
  static void on_readable(uv_poll_t* poll, int status, int events);
  void run_due();
  void arm();
  void place(size_t slot, Wakeup* wakeup);
  void sift_up(size_t slot);
  void sift_down(size_t slot);
  void remove_at(size_t slot);

  std::vector<Wakeup*> heap_;  // a binary min-heap on due
  int fd_ = -1;
  uv_poll_t poll_;
  uint64_t armed_ns_ = 0;     // the deadline the timerfd is set to; 0 when disarmed
  bool running_ = false;      // inside run_due(): it arms the timer once at its end
  uint64_t pass_now_ns_ = 0;  // the time run_due() runs wake-ups for
  bool closed_ = false;
};

}  // namespace lueng::exec
