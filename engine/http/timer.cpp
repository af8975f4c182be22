#include "engine/http/timer.hpp"

#include <algorithm>

namespace lueng::http {

struct Timer::Handle {
  uv_timer_t timer;
  Callback callback;
  void* context;
  uint64_t deadline_ns = 0;  // 0: none
  uint64_t armed_ns = 0;     // what the libuv timer runs for; 0: it does not run
  bool soon = false;         // fire_soon() is pending

  void arm(uint64_t now_ns) {
    // The loop's clock is only refreshed once per iteration: a timer started after
    // a long callback would fire early (and start again) without the refresh.
    uv_update_time(timer.loop);
    uint64_t left_ns = deadline_ns > now_ns ? deadline_ns - now_ns : 0;
    uv_timer_start(&timer, on_fire, std::max<uint64_t>((left_ns + 999'999) / 1'000'000, 1), 0);
    armed_ns = deadline_ns;
  }

  void arm_if_idle() {
    if (deadline_ns != 0 && armed_ns == 0) arm(uv_hrtime());
  }

  static void on_fire(uv_timer_t* timer) {
    auto* handle = static_cast<Handle*>(timer->data);
    handle->armed_ns = 0;
    if (handle->soon) {
      handle->soon = false;
      uv_unref(reinterpret_cast<uv_handle_t*>(timer));
      handle->callback(handle->context);
    } else if (handle->deadline_ns != 0) {
      uint64_t now = uv_hrtime();
      if (now < handle->deadline_ns) {
        handle->arm(now);
        return;
      }
      handle->deadline_ns = 0;
      handle->callback(handle->context);
    }
    // The callback may have set a deadline (a new request) or destroyed the
    // owner (which clears everything before it closes the handle).
    handle->arm_if_idle();
  }
};

Timer::Timer(uv_loop_t* loop, Callback callback, void* context)
    : handle_(new Handle{uv_timer_t{}, callback, context}) {
  uv_timer_init(loop, &handle_->timer);
  handle_->timer.data = handle_;
  // A deadline alone keeps no loop running: it may outlive its request (see
  // clear()), and the request's own socket or lookup keeps the loop alive while
  // it is in flight. fire_soon(), which has nothing else, takes a reference.
  uv_unref(reinterpret_cast<uv_handle_t*>(&handle_->timer));
}

Timer::~Timer() {
  handle_->deadline_ns = 0;
  handle_->soon = false;  // a closing handle needs no reference of its own
  uv_close(reinterpret_cast<uv_handle_t*>(&handle_->timer),
           [](uv_handle_t* handle) { delete static_cast<Handle*>(handle->data); });
}

void Timer::set_deadline(uint64_t deadline_ns, uint64_t now_ns) {
  Handle& h = *handle_;
  h.deadline_ns = std::max<uint64_t>(deadline_ns, 1);
  // Running for an earlier time (or about to fire soon): it checks again then.
  if (h.soon || (h.armed_ns != 0 && h.armed_ns <= h.deadline_ns)) return;
  h.arm(now_ns);
}

void Timer::fire_soon() {
  if (!handle_->soon) uv_ref(reinterpret_cast<uv_handle_t*>(&handle_->timer));
  handle_->soon = true;
  uv_timer_start(&handle_->timer, Handle::on_fire, 0, 0);
  handle_->armed_ns = 1;
}

void Timer::clear() {
  handle_->deadline_ns = 0;
}

void Timer::stop() {
  if (handle_->soon) uv_unref(reinterpret_cast<uv_handle_t*>(&handle_->timer));
  handle_->deadline_ns = 0;
  handle_->soon = false;
  handle_->armed_ns = 0;
  uv_timer_stop(&handle_->timer);
}

}  // namespace lueng::http
