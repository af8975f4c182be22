#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <uv.h>

#include "engine/exec/progress.hpp"
#include "engine/exec/run_plan.hpp"
#include "engine/exec/signal_poll.hpp"
#include "engine/exec/stop_signals.hpp"
#include "engine/exec/time_series.hpp"
#include "engine/metrics/sink.hpp"

namespace lueng::exec {

class Worker;

// The main thread's loop while the workers run the load: it starts the test once
// every worker is ready, keeps the books of each second (VU gauges, the time
// series, progress, abort_on_fail), and stops the workers: gracefully at the
// first signal or abort_on_fail, at once at the second signal or when the test
// runs past its longest possible end. A worker that has not ended 1 s after a
// hard stop (Lua code looping inside a JIT trace) is given up on: the run ends
// without it, from its last snapshot.
class Supervisor {
 public:
  Supervisor(RunShared& shared, std::vector<std::unique_ptr<Worker>>& workers, RunPlan& plan,
             StopSignals* signals, std::optional<ProgressView> progress);

  // Seconds after the start by which every scenario has ended, graceful stops
  // included; past it (and a margin) the workers are stopped at once.
  double deadline_seconds = 0;
  // Called every second with the seconds since the start; true stops the run
  // gracefully (abort_on_fail).
  std::function<bool(double)> should_abort;
  // Called every `checkpoint_seconds` of the test (0: never): the partial result file.
  std::function<void()> checkpoint;
  double checkpoint_seconds = 0;
  // Called every second of the load, after the second's books are kept: the live
  // dashboard's numbers.
  std::function<void()> each_second;
  // A libuv loop of the caller's that this loop runs (UV_RUN_NOWAIT) whenever its
  // backend descriptor is readable and at every tick: the live dashboard's
  // server, served from the main thread without a thread of its own.
  uv_loop_t* side_loop = nullptr;
  // Seconds after which the test ends as if its scenarios were over (0: never):
  // LUENG_MAX_DURATION, for running long examples briefly.
  double stop_after_seconds = 0;
  // --start-at: once every worker is ready, the load waits for this Unix time
  // (ms) on this loop, a signal ending the wait (0: starts at once).
  int64_t start_at_unix_ms = 0;
  // Called on this loop when the load starts (RunPlan::start_ns is set): the
  // target monitor starts scraping then.
  std::function<void()> on_start;
  metrics::SampleChannel* gauges = nullptr;  // the VU gauges for streaming outputs
  // The VU gauges for abort_on_fail: measured here rather than by a worker, they
  // are published into the live slot after the workers' ones.
  metrics::Sink* live_gauges = nullptr;
  metrics::TagSetId live_gauge_tags = 0;

  // Starts the workers and returns when they have all ended or been given up on.
  void run();

  bool aborted() const { return aborted_; }
  int signals() const { return signals_ ? signals_->count() : 0; }
  std::string interrupt_reason() const { return signals_ ? signals_->reason() : ""; }
  bool init_failed() const { return init_failed_; }
  // Index of each worker given up on.
  const std::vector<size_t>& abandoned() const { return abandoned_; }
  TimeSeriesBuilder& series() { return series_; }

 private:
  static void on_done(uv_async_t* async);
  void check_test_abort();
  static void on_tick(uv_timer_t* timer);
  static void on_grace_over(uv_timer_t* timer);
  static void on_start_time(uv_timer_t* timer);
  static void on_side_loop(uv_poll_t* poll, int status, int events);
  void run_side_loop();
  void release_at_start_time();
  void on_signal(int count);
  void release();
  void sample_start();
  void sample_vus(int64_t second);
  void stop_now();
  void stop_gracefully(double elapsed);
  void close();

  RunShared& shared_;
  std::vector<std::unique_ptr<Worker>>& workers_;
  RunPlan& plan_;
  StopSignals* signals_;
  std::optional<ProgressView> progress_;  // none with --quiet
  TimeSeriesBuilder series_;
  bool aborted_ = false;
  bool aborted_by_script_ = false;  // lueng.test.abort()
  bool init_failed_ = false;        // a worker's init code failed: the test never started
  bool start_sampled_ = false;
  bool stopping_now_ = false;
  double hard_stop_at_ = 0;     // seconds after the start; 0 until a graceful stop
  bool stopped_early_ = false;  // stop_after_seconds has passed
  bool closed_ = false;
  bool waiting_ = false;  // for --start-at
  double next_checkpoint_ = 0;
  std::vector<size_t> abandoned_;
  std::vector<uint64_t> heartbeats_;  // each worker's, when its grace last began
  double busy_grace_seconds_ = 0;     // grace added for workers still getting on
  uv_loop_t loop_;
  uv_async_t done_;
  uv_timer_t tick_, grace_, start_time_;
  uv_poll_t side_poll_;
  bool side_polling_ = false;
  std::optional<SignalPoll> signal_poll_;
};

}  // namespace lueng::exec
