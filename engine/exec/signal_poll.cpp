#include "engine/exec/signal_poll.hpp"

#include "engine/exec/engine_error.hpp"

namespace lueng::exec {

SignalPoll::SignalPoll(uv_loop_t* loop, StopSignals* signals, Callback on_signal)
    : signals_(signals), on_signal_(std::move(on_signal)) {
  if (!signals_) return;
  check_uv(uv_poll_init(loop, &poll_, signals_->fd()), "watching for signals");
  poll_.data = this;
  uv_poll_start(&poll_, UV_READABLE, on_readable);
  open_ = true;
}

void SignalPoll::close() {
  if (!open_) return;
  open_ = false;
  uv_close(reinterpret_cast<uv_handle_t*>(&poll_), nullptr);
}

void SignalPoll::on_readable(uv_poll_t* poll, int status, int) {
  auto* self = static_cast<SignalPoll*>(poll->data);
  if (status < 0) return;
  int before = self->signals_->count();
  int arrived = self->signals_->take();
  for (int i = 1; i <= arrived; ++i) self->on_signal_(before + i);
}

}  // namespace lueng::exec
