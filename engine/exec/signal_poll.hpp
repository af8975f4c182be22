#pragma once

#include <functional>

#include <uv.h>

#include "engine/exec/stop_signals.hpp"

namespace lueng::exec {

// StopSignals seen from a libuv loop of the main thread: `on_signal` runs once
// per signal that arrives while the loop runs, with the run's count so far (1
// for the first signal of the run, whatever phase it came in).
class SignalPoll {
 public:
  using Callback = std::function<void(int count)>;
  // Nothing is watched without `signals` (lueng inspect has none).
  SignalPoll(uv_loop_t* loop, StopSignals* signals, Callback on_signal);
  SignalPoll(const SignalPoll&) = delete;
  SignalPoll& operator=(const SignalPoll&) = delete;
  void close();  // before the loop ends

 private:
  static void on_readable(uv_poll_t* poll, int status, int events);
  StopSignals* signals_;
  Callback on_signal_;
  uv_poll_t poll_;
  bool open_ = false;
};

}  // namespace lueng::exec
