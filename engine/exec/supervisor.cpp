#include "engine/exec/supervisor.hpp"

#include <chrono>
#include <cmath>
#include <cstdio>

#include "engine/common/utc_time.hpp"
#include "engine/exec/engine_error.hpp"
#include "engine/exec/phase_watch.hpp"
#include "engine/exec/test_status.hpp"
#include "engine/exec/worker.hpp"

namespace lueng::exec {

namespace {
// Past the test's longest possible end, a margin for the workers' own timers.
constexpr double kDeadlineMargin = 5;
// How long a stopped worker that keeps getting on (stopping a million VUs on a
// crowded machine) may take before it, too, is given up on.
constexpr double kBusyStopSeconds = 60;
// How late past --start-at the load may start without a warning.
constexpr int64_t kLateStartMs = 1000;

int64_t unix_ms_now() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}
}  // namespace

Supervisor::Supervisor(RunShared& shared, std::vector<std::unique_ptr<Worker>>& workers,
                       RunPlan& plan, StopSignals* signals, std::optional<ProgressView> progress)
    : shared_(shared),
      workers_(workers),
      plan_(plan),
      signals_(signals),
      progress_(std::move(progress)) {}

void Supervisor::run() {
  check_uv(uv_loop_init(&loop_), "the main event loop");
  check_uv(uv_async_init(&loop_, &done_, on_done), "the main event loop");
  uv_timer_init(&loop_, &tick_);
  uv_timer_init(&loop_, &grace_);
  uv_timer_init(&loop_, &start_time_);
  for (uv_handle_t* h :
       {reinterpret_cast<uv_handle_t*>(&done_), reinterpret_cast<uv_handle_t*>(&tick_),
        reinterpret_cast<uv_handle_t*>(&grace_), reinterpret_cast<uv_handle_t*>(&start_time_)})
    h->data = this;
  signal_poll_.emplace(&loop_, signals_, [this](int count) { on_signal(count); });
  if (side_loop && uv_poll_init(&loop_, &side_poll_, uv_backend_fd(side_loop)) == 0) {
    side_poll_.data = this;
    side_polling_ = uv_poll_start(&side_poll_, UV_READABLE, on_side_loop) == 0;
    if (!side_polling_) uv_close(reinterpret_cast<uv_handle_t*>(&side_poll_), nullptr);
    run_side_loop();  // what waited for the main loop
  }
  shared_.listen(&done_);
  try {
    for (auto& worker : workers_) worker->start();
  } catch (const std::system_error& error) {
    throw EngineError(std::string("cannot start a worker thread: ") + error.what());
  }
  uv_run(&loop_, UV_RUN_DEFAULT);
  uv_loop_close(&loop_);
  for (const auto& stats : shared_.take()) series_.add(stats);
  if (progress_) progress_->finish();
}

void Supervisor::close() {
  if (closed_) return;
  closed_ = true;
  shared_.listen(nullptr);
  signal_poll_->close();
  if (side_polling_) uv_close(reinterpret_cast<uv_handle_t*>(&side_poll_), nullptr);
  side_polling_ = false;
  for (uv_handle_t* h :
       {reinterpret_cast<uv_handle_t*>(&done_), reinterpret_cast<uv_handle_t*>(&tick_),
        reinterpret_cast<uv_handle_t*>(&grace_), reinterpret_cast<uv_handle_t*>(&start_time_)})
    uv_close(h, nullptr);
}

// A pass of a loop registers the descriptors its callbacks started watching
// (a connection just accepted) and runs the callbacks of writes it finished
// only on the next pass: three passes serve a request without waiting a tick.
void Supervisor::run_side_loop() {
  for (int pass = 0; pass < 3; ++pass) uv_run(side_loop, UV_RUN_NOWAIT);
}

void Supervisor::on_side_loop(uv_poll_t* poll, int, int) {
  static_cast<Supervisor*>(poll->data)->run_side_loop();
}

void Supervisor::on_done(uv_async_t* async) {
  // uv_async coalesces sends, so count the threads that really ended.
  auto* self = static_cast<Supervisor*>(async->data);
  if (!self->shared_.released()) {
    if (self->shared_.ready_workers.load(std::memory_order_acquire) <
        static_cast<int>(self->workers_.size()))
      return;
    self->release_at_start_time();
    if (!self->shared_.released()) return;  // waiting for --start-at
  }
  self->sample_start();
  self->check_test_abort();
  for (auto& worker : self->workers_)
    if (!worker->finished()) return;
  // A thread that has set finished may still be inside notify_main(); joining it
  // (it is about to return) makes closing the handle safe.
  for (auto& worker : self->workers_) worker->join();
  self->close();
}

// Every worker is ready: with --start-at, the load waits for its time on this
// loop (signals still reach it), else it starts now. A time already past by more
// than kLateStart starts at once, with a warning: a late instance still runs its
// part, and the result file keeps both times.
void Supervisor::release_at_start_time() {
  if (waiting_) return;
  bool failed = false;
  for (auto& worker : workers_) failed = failed || worker->failed();
  if (start_at_unix_ms > 0 && !failed && signals() == 0) {
    int64_t wait_ms = start_at_unix_ms - unix_ms_now();
    if (wait_ms > 0) {
      fprintf(stderr, "  waiting %.1fs for --start-at %s to start the load\n",
              static_cast<double>(wait_ms) / 1000,
              format_utc(start_at_unix_ms, UtcFormat::kIsoMillis).c_str());
      waiting_ = true;
      uv_timer_start(&start_time_, on_start_time, static_cast<uint64_t>(wait_ms), 0);
      return;
    }
    if (-wait_ms > kLateStartMs)
      fprintf(stderr, "  WARN --start-at %s passed %.1fs ago: the load starts now\n",
              format_utc(start_at_unix_ms, UtcFormat::kIsoMillis).c_str(),
              static_cast<double>(-wait_ms) / 1000);
  }
  release();
}

void Supervisor::on_start_time(uv_timer_t* timer) {
  auto* self = static_cast<Supervisor*>(timer->data);
  // The loop's clock is monotonic, the start time is the wall clock's: wait out
  // any difference so that the load never starts before it.
  if (int64_t left = self->start_at_unix_ms - unix_ms_now(); left > 0) {
    uv_timer_start(&self->start_time_, on_start_time, static_cast<uint64_t>(left), 0);
    return;
  }
  self->waiting_ = false;
  self->release();
}

// Every worker has run the init code and built its VUs: the test starts now,
// unless one of them failed or a signal came first.
void Supervisor::release() {
  for (auto& worker : workers_) init_failed_ = init_failed_ || worker->failed();
  plan_.start_ns = uv_hrtime();
  if (init_failed_ || signals() > 0) {
    shared_.release_workers(false);
    return;
  }
  next_checkpoint_ = checkpoint_seconds;
  if (on_start) on_start();
  uv_timer_start(&tick_, on_tick, 1000, 1000);
  shared_.release_workers(true);
}

// The VUs of second 0 are those running once every worker has scheduled its
// first iterations; the ticks sample every later second.
void Supervisor::sample_start() {
  if (start_sampled_ ||
      shared_.started_workers.load(std::memory_order_acquire) < static_cast<int>(workers_.size()))
    return;
  start_sampled_ = true;
  sample_vus(0);
}

void Supervisor::sample_vus(int64_t second) {
  auto vus = static_cast<double>(shared_.busy_vus.load(std::memory_order_relaxed));
  auto vus_max = static_cast<double>(shared_.initialized_vus.load(std::memory_order_relaxed));
  series_.set_vus(second, vus, vus_max);
  uint64_t now = uv_hrtime();
  if (gauges) {
    gauges->push(metrics::builtin::kVus, 0, vus, now);
    gauges->push(metrics::builtin::kVusMax, 0, vus_max, now);
  }
  if (live_gauges) {
    live_gauges->add(metrics::builtin::kVus, live_gauge_tags, vus, now);
    live_gauges->add(metrics::builtin::kVusMax, live_gauge_tags, vus_max, now);
    shared_.live.publish(workers_.size(), live_gauges->tracked());
  }
}

void Supervisor::on_tick(uv_timer_t* timer) {
  auto* self = static_cast<Supervisor*>(timer->data);
  // Ticks fall on whole seconds; rounding keeps a tick due at 1 s but run a
  // hair early by the loop's millisecond clock from counting as second 0.
  int64_t second = std::llround(static_cast<double>(uv_hrtime() - self->plan_.start_ns) / 1e9);
  for (const auto& stats : self->shared_.take()) self->series_.add(stats);
  self->sample_start();
  self->sample_vus(second);
  self->series_.close_before(second - 2);  // workers report a second within one tick
  double elapsed = static_cast<double>(uv_hrtime() - self->plan_.start_ns) / 1e9;
  if (self->progress_) self->progress_->update(elapsed);
  self->check_test_abort();
  if (!self->aborted_ && self->signals() == 0 && self->should_abort &&
      self->should_abort(elapsed)) {
    self->aborted_ = true;
    self->stop_gracefully(elapsed);
  }
  if (self->stop_after_seconds > 0 && !self->stopped_early_ &&
      elapsed >= self->stop_after_seconds) {
    self->stopped_early_ = true;
    fprintf(stderr, "\n  LUENG_MAX_DURATION: the test ends after %gs\n", self->stop_after_seconds);
    self->stop_gracefully(elapsed);
  }
  if (self->checkpoint && self->checkpoint_seconds > 0 && elapsed >= self->next_checkpoint_) {
    self->next_checkpoint_ += self->checkpoint_seconds;
    self->checkpoint();
  }
  if (self->each_second) self->each_second();
  if (self->side_loop) self->run_side_loop();  // its timers
  if (!self->stopping_now_ && self->hard_stop_at_ > 0 && elapsed >= self->hard_stop_at_) {
    fprintf(stderr, "\n  gracefulStop is over: stopping at once\n");
    self->stop_now();
  }
  if (!self->stopping_now_ && elapsed > self->deadline_seconds + kDeadlineMargin) {
    fprintf(stderr,
            "\n  WARN the test ran past its longest possible end (%.0fs): stopping it at once\n",
            self->deadline_seconds);
    self->stop_now();
  }
}

void Supervisor::on_signal(int count) {
  if (waiting_) {  // before the load: the workers are told not to start it
    uv_timer_stop(&start_time_);
    waiting_ = false;
    fprintf(stderr, "\n  %s: the load was not started\n", signals_->reason().c_str());
    release();
    return;
  }
  if (count == 1) {
    fprintf(stderr, "\n  %s: stopping gracefully (send it again to stop at once)\n",
            signals_->reason().c_str());
    stop_gracefully(static_cast<double>(uv_hrtime() - plan_.start_ns) / 1e9);
  } else {
    stop_now();
  }
}

// Running iterations get their gracefulStop. A worker cannot end them while Lua
// loops in a JIT trace (its loop never turns): when the longest gracefulStop is
// over, the stop is made at once from here, as a second signal makes it.
void Supervisor::stop_gracefully(double elapsed) {
  for (auto& worker : workers_) worker->request_stop(false);
  double graceful = 0;
  for (const auto& scenario : plan_.scenarios)
    graceful = std::max(graceful, scenario.config.graceful_stop);
  if (hard_stop_at_ == 0) hard_stop_at_ = elapsed + graceful + 1;
}

// lueng.test.abort() (k6's exec.test.abort): the test stops at once, as k6 stops
// it; teardown() still runs.
void Supervisor::check_test_abort() {
  if (aborted_by_script_ || !test_status().aborted()) return;
  aborted_by_script_ = true;
  std::string message = test_status().abort_message();
  fprintf(stderr, "\n  lueng.test.abort()%s%s: stopping the test\n", message.empty() ? "" : ": ",
          message.c_str());
  stop_now();
}

// Every worker drops what it runs, Lua code in a loop included; those that have
// not ended a second later are given up on.
void Supervisor::stop_now() {
  stopping_now_ = true;
  for (auto& worker : workers_) {
    worker->request_stop(true);
    worker->interrupt_lua();
  }
  if (!uv_is_active(reinterpret_cast<uv_handle_t*>(&grace_))) {
    heartbeats_.clear();
    for (auto& worker : workers_) heartbeats_.push_back(worker->heartbeat());
    uv_timer_start(&grace_, on_grace_over, static_cast<uint64_t>(kAbandonAfterSeconds * 1000), 0);
  }
}

void Supervisor::on_grace_over(uv_timer_t* timer) {
  auto* self = static_cast<Supervisor*>(timer->data);
  // A worker whose heartbeat moved is busy, not hung: it gets another grace, up to
  // kBusyStopSeconds, rather than being reported as a VU that never ended.
  bool getting_on = false;
  for (size_t i = 0; i < self->workers_.size(); ++i) {
    uint64_t beat = self->workers_[i]->heartbeat();
    if (!self->workers_[i]->finished() && beat != self->heartbeats_[i]) getting_on = true;
    self->heartbeats_[i] = beat;
  }
  if (getting_on && self->busy_grace_seconds_ < kBusyStopSeconds) {
    self->busy_grace_seconds_ += kAbandonAfterSeconds;
    uv_timer_start(&self->grace_, on_grace_over, static_cast<uint64_t>(kAbandonAfterSeconds * 1000),
                   0);
    return;
  }
  for (size_t i = 0; i < self->workers_.size(); ++i)
    if (!self->workers_[i]->finished()) self->abandoned_.push_back(i);
  if (self->abandoned_.empty()) return;  // the last done message is on its way
  fprintf(stderr, "  %zu worker%s did not stop within %.0f s: the run ends without %s\n",
          self->abandoned_.size(), self->abandoned_.size() == 1 ? "" : "s", kAbandonAfterSeconds,
          self->abandoned_.size() == 1 ? "it" : "them");
  self->close();
}

}  // namespace lueng::exec
