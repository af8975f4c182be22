#include "engine/exec/phase_watch.hpp"

#include <uv.h>

#include <cstdio>
#include <exception>
#include <memory>
#include <mutex>
#include <thread>

#include "engine/exec/engine_error.hpp"
#include "engine/exec/signal_poll.hpp"

namespace lueng::exec {

namespace {

// Shared with the phase's thread, which may outlive the watch when abandoned.
struct Watch {
  uv_loop_t loop;
  uv_async_t done;
  uv_timer_t grace;
  std::mutex mutex;  // guards `done` against a send after its close
  bool open = false;
  bool finished = false;
  bool abandoned = false;
  std::exception_ptr error;
  SignalPoll* signals = nullptr;

  void close() {
    if (signals) signals->close();
    std::lock_guard lock(mutex);
    open = false;
    uv_close(reinterpret_cast<uv_handle_t*>(&done), nullptr);
    uv_close(reinterpret_cast<uv_handle_t*>(&grace), nullptr);
  }
};

}  // namespace

PhaseEnd watch_phase(const char* what, StopSignals* signals, const std::function<void()>& work,
                     const std::function<void(pthread_t thread)>& stop) {
  if (!signals) {
    work();
    return PhaseEnd::kFinished;
  }
  auto watch = std::make_shared<Watch>();
  check_uv(uv_loop_init(&watch->loop), "the main event loop");
  check_uv(uv_async_init(&watch->loop, &watch->done,
                         [](uv_async_t* async) {
                           auto* w = static_cast<Watch*>(async->data);
                           if (w->finished) w->close();
                         }),
           "the main event loop");
  watch->done.data = watch.get();
  uv_timer_init(&watch->loop, &watch->grace);
  watch->grace.data = watch.get();
  watch->open = true;

  std::thread thread([watch, work] {  // copies: an abandoned thread outlives the caller
    try {
      work();
    } catch (...) {
      watch->error = std::current_exception();
    }
    std::lock_guard lock(watch->mutex);
    watch->finished = true;
    if (watch->open) uv_async_send(&watch->done);
  });
  SignalPoll poll(&watch->loop, signals, [&](int count) {
    fprintf(stderr, "\n  %s: stopping %s at once\n",
            count == 1 ? signals->reason().c_str() : "again", what);
    stop(thread.native_handle());
    if (!uv_is_active(reinterpret_cast<uv_handle_t*>(&watch->grace)))
      uv_timer_start(
          &watch->grace,
          [](uv_timer_t* timer) {
            auto* w = static_cast<Watch*>(timer->data);
            std::lock_guard lock(w->mutex);
            if (w->finished) return;  // its done message is on the way
            w->abandoned = true;
            w->open = false;
            uv_close(reinterpret_cast<uv_handle_t*>(&w->done), nullptr);
            uv_close(reinterpret_cast<uv_handle_t*>(&w->grace), nullptr);
            if (w->signals) w->signals->close();
          },
          static_cast<uint64_t>(kAbandonAfterSeconds * 1000), 0);
  });
  watch->signals = &poll;
  uv_run(&watch->loop, UV_RUN_DEFAULT);
  uv_loop_close(&watch->loop);
  if (watch->abandoned) {
    fprintf(stderr, "  %s did not stop within %.0f s: left behind\n", what, kAbandonAfterSeconds);
    thread.detach();
    return PhaseEnd::kAbandoned;
  }
  thread.join();
  if (watch->error) std::rethrow_exception(watch->error);
  return PhaseEnd::kFinished;
}

}  // namespace lueng::exec
