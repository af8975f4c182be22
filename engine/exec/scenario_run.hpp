#pragma once

#include <memory>
#include <vector>

#include <uv.h>

#include "engine/exec/executor.hpp"
#include "engine/exec/run_plan.hpp"
#include "engine/exec/wakeups.hpp"

namespace lueng::exec {

class Vu;
class Worker;

// One scenario on one worker: its VUs, its executor and its clock. The executor
// decides when iterations start; this class keeps the books (which VUs are busy),
// ends the scenario and enforces gracefulStop.
class ScenarioRun {
 public:
  ScenarioRun(Worker& worker, const PlannedScenario& scenario, Segment segment);
  const PlannedScenario& planned() const { return scenario_; }
  ~ScenarioRun();
  ScenarioRun(const ScenarioRun&) = delete;
  ScenarioRun& operator=(const ScenarioRun&) = delete;

  // --- for the worker
  // Creates one more VU, up to the executor's maximum; null when there is no room.
  Vu* spawn_vu();
  void schedule();       // starts the scenario at its startTime
  void stop(bool hard);  // test interrupted: finish gracefully, or abort now
  bool complete() const { return state_ == State::kComplete; }
  void close();  // releases libuv handles before the loop ends

  // --- for executors
  const std::vector<Vu*>& vus() const { return vu_views_; }
  // Queues an iteration on an idle VU. `scheduled_ns` (uv_hrtime) is when an
  // arrival-rate executor wanted it to start, for iteration_start_lag.
  void start_iteration(Vu& vu, uint64_t scheduled_ns = 0);
  // Counts an iteration an arrival-rate executor could not start (no free VU).
  void drop_iteration();
  void finish_after(double seconds);
  // Calls the executor's on_wakeup at `due_ns` (uv_hrtime() clock), precisely
  // rather than on libuv's millisecond timer clock; replaces an earlier request.
  void wake_at(uint64_t due_ns);
  void wake_after(double seconds);
  void finish();  // start no more iterations; running ones get gracefulStop
  size_t busy() const { return busy_; }
  double elapsed() const;                              // seconds since this scenario started
  uint64_t started_ns() const { return started_ns_; }  // uv_hrtime() when it started
  // Wall-clock milliseconds since the Unix epoch when this scenario began on this
  // worker (the clock of lueng.now()); 0 before it began.
  double started_unix_ms() const { return started_unix_ms_; }
  const ScenarioConfig& config() const { return scenario_.config; }
  const Segment& segment() const { return segment_; }
  ScenarioShared& shared() const { return *scenario_.shared; }
  uv_loop_t* loop() const;

  // --- for VUs
  void iteration_ended(Vu& vu, bool completed);
  void backoff_over(Vu& vu);
  void count_request(bool failed) {
    ++requests_;
    if (failed) ++failed_requests_;
  }
  // Adds this worker's counts since the last call to the shared progress numbers.
  void publish_progress();

 private:
  enum class State { kWaiting, kRunning, kFinishing, kComplete };

  void begin();
  void abort_all();
  void set_complete();
  static void on_start(uv_timer_t* timer);
  static void on_finish(uv_timer_t* timer);
  static void on_graceful_stop_over(uv_timer_t* timer);
  static void on_wakeup(void* self, uint64_t now_ns);

  Worker& worker_;
  const PlannedScenario& scenario_;
  Segment segment_;
  std::unique_ptr<Executor> executor_;
  std::vector<std::unique_ptr<Vu>> vus_;
  std::vector<Vu*> vu_views_;
  State state_ = State::kWaiting;
  size_t busy_ = 0;
  uint64_t started_ns_ = 0;
  double started_unix_ms_ = 0;
  int64_t max_vus_ = 0;
  int64_t requests_ = 0, failed_requests_ = 0;
  int64_t published_requests_ = 0, published_failed_ = 0, published_busy_ = 0;
  uv_timer_t start_timer_, finish_timer_, graceful_timer_;
  Wakeup wakeup_{on_wakeup, this};
};

}  // namespace lueng::exec
