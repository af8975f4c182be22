#include "engine/http/timer.hpp"

namespace lueng::http {

struct Timer::Handle {
  uv_timer_t timer;
  Callback callback;
  void* context;
};

Timer::Timer(uv_loop_t* loop, Callback callback, void* context)
    : handle_(new Handle{uv_timer_t{}, callback, context}) {
  uv_timer_init(loop, &handle_->timer);
  handle_->timer.data = handle_;
}

Timer::~Timer() {
  uv_close(reinterpret_cast<uv_handle_t*>(&handle_->timer),
           [](uv_handle_t* handle) { delete static_cast<Handle*>(handle->data); });
}

void Timer::start(uint64_t milliseconds) {
  // The loop's clock is only refreshed once per iteration; a request started after
  // a long callback would otherwise time out early.
  uv_update_time(handle_->timer.loop);
  uv_timer_start(
      &handle_->timer,
      [](uv_timer_t* timer) {
        auto* handle = static_cast<Handle*>(timer->data);
        handle->callback(handle->context);
      },
      milliseconds, 0);
}

void Timer::stop() {
  uv_timer_stop(&handle_->timer);
}

}  // namespace lueng::http
