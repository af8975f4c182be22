#include "engine/exec/wakeups.hpp"

#include <sys/timerfd.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include "engine/exec/engine_error.hpp"

namespace lueng::exec {

namespace {

// armed_ns_ after the timerfd fired: it stays readable until it is set again.
constexpr uint64_t kFired = std::numeric_limits<uint64_t>::max();

void set_timerfd(int fd, uint64_t deadline_ns) {
  itimerspec spec{};
  spec.it_value.tv_sec = static_cast<time_t>(deadline_ns / 1'000'000'000);
  spec.it_value.tv_nsec = static_cast<long>(deadline_ns % 1'000'000'000);
  // An absolute CLOCK_MONOTONIC time, the clock of uv_hrtime(); a time already
  // past fires at once. Zero disarms (and clears a pending expiry).
  timerfd_settime(fd, TFD_TIMER_ABSTIME, &spec, nullptr);
}

}  // namespace

WakeupQueue::WakeupQueue(uv_loop_t* loop) {
  fd_ = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
  if (fd_ < 0) check_uv(-errno, "a worker's timer (timerfd)");
  if (int status = uv_poll_init(loop, &poll_, fd_); status < 0) {
    ::close(fd_);
    check_uv(status, "a worker's timer (poll)");
  }
  poll_.data = this;
  uv_poll_start(&poll_, UV_READABLE, on_readable);
}

WakeupQueue::~WakeupQueue() {
  // close() has been called and its owner has run the loop until the poll
  // handle's close completed: only then may the descriptor go.
  ::close(fd_);
}

void WakeupQueue::close() {
  if (closed_) return;
  closed_ = true;
  for (Wakeup* wakeup : heap_) wakeup->slot = Wakeup::kIdle;
  heap_.clear();
  uv_close(reinterpret_cast<uv_handle_t*>(&poll_), nullptr);
}

void WakeupQueue::add(Wakeup& wakeup, uint64_t due_ns) {
  if (closed_) return;
  due_ns = std::max<uint64_t>(due_ns, 1);  // a timerfd set to 0 is disarmed
  // Inside a pass, what is added waits for the next one, after the loop has polled:
  // a callback that keeps adding due wake-ups cannot starve I/O.
  if (running_ && due_ns <= pass_now_ns_) due_ns = pass_now_ns_ + 1;
  if (wakeup.pending()) {
    wakeup.due = due_ns;
    sift_up(wakeup.slot);
    sift_down(wakeup.slot);
  } else {
    wakeup.due = due_ns;
    heap_.push_back(&wakeup);
    wakeup.slot = heap_.size() - 1;
    sift_up(wakeup.slot);
  }
  if (!running_ && (armed_ns_ == 0 || due_ns < armed_ns_)) arm();
}

void WakeupQueue::cancel(Wakeup& wakeup) {
  // The timerfd stays set: an early wake-up finds nothing due and sets it again.
  if (wakeup.pending()) remove_at(wakeup.slot);
}

void WakeupQueue::on_readable(uv_poll_t* poll, int status, int) {
  auto* self = static_cast<WakeupQueue*>(poll->data);
  if (status < 0 || self->closed_) return;
  self->armed_ns_ = kFired;
  self->run_due();
}

void WakeupQueue::run_due() {
  running_ = true;
  pass_now_ns_ = uv_hrtime();
  while (!heap_.empty() && heap_.front()->due <= pass_now_ns_) {
    Wakeup* wakeup = heap_.front();
    remove_at(0);
    wakeup->callback(wakeup->context, pass_now_ns_);
    if (closed_) return;
  }
  running_ = false;
  arm();
}

void WakeupQueue::arm() {
  uint64_t target = heap_.empty() ? 0 : heap_.front()->due;
  if (target == armed_ns_) return;
  set_timerfd(fd_, target);
  armed_ns_ = target;
}

void WakeupQueue::place(size_t slot, Wakeup* wakeup) {
  heap_[slot] = wakeup;
  wakeup->slot = slot;
}

void WakeupQueue::sift_up(size_t slot) {
  Wakeup* moving = heap_[slot];
  while (slot > 0) {
    size_t parent = (slot - 1) / 2;
    if (heap_[parent]->due <= moving->due) break;
    place(slot, heap_[parent]);
    slot = parent;
  }
  place(slot, moving);
}

void WakeupQueue::sift_down(size_t slot) {
  Wakeup* moving = heap_[slot];
  size_t size = heap_.size();
  while (true) {
    size_t child = 2 * slot + 1;
    if (child >= size) break;
    if (child + 1 < size && heap_[child + 1]->due < heap_[child]->due) ++child;
    if (moving->due <= heap_[child]->due) break;
    place(slot, heap_[child]);
    slot = child;
  }
  place(slot, moving);
}

void WakeupQueue::remove_at(size_t slot) {
  Wakeup* removed = heap_[slot];
  Wakeup* last = heap_.back();
  heap_.pop_back();
  removed->slot = Wakeup::kIdle;
  if (last == removed) return;
  place(slot, last);
  sift_up(slot);
  sift_down(last->slot);
}

}  // namespace lueng::exec
