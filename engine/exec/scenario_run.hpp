#pragma once

#include <memory>
#include <vector>

#include <uv.h>

#include "engine/exec/executor.hpp"
#include "engine/exec/run_plan.hpp"

namespace lueng::exec {

class Vu;
class Worker;

// One scenario on one worker: its VUs, its executor and its clock. The executor
// decides when iterations start; this class keeps the books (which VUs are busy),
// ends the scenario and enforces gracefulStop.
class ScenarioRun {
 public:
  ScenarioRun(Worker& worker, const PlannedScenario& scenario, Segment segment);
  ~ScenarioRun();
  ScenarioRun(const ScenarioRun&) = delete;
  ScenarioRun& operator=(const ScenarioRun&) = delete;

  // --- for the worker
  void add_vu(std::unique_ptr<Vu> vu);
  void schedule();       // starts the scenario at its startTime
  void stop(bool hard);  // test interrupted: finish gracefully, or abort now
  bool complete() const { return state_ == State::kComplete; }
  void close();  // releases libuv handles before the loop ends

  // --- for executors
  const std::vector<Vu*>& vus() const { return vu_views_; }
  void start_iteration(Vu& vu);  // queues an iteration on an idle VU
  void finish_after(double seconds);
  void finish();  // start no more iterations; running ones get gracefulStop
  size_t busy() const { return busy_; }
  double elapsed() const;  // seconds since this scenario started
  const ScenarioConfig& config() const { return scenario_.config; }
  const Segment& segment() const { return segment_; }
  ScenarioShared& shared() const { return *scenario_.shared; }
  uv_loop_t* loop() const;

  // --- for VUs
  void iteration_ended(Vu& vu, bool completed);

 private:
  enum class State { kWaiting, kRunning, kFinishing, kComplete };

  void begin();
  void abort_all();
  void set_complete();
  static void on_start(uv_timer_t* timer);
  static void on_finish(uv_timer_t* timer);
  static void on_graceful_stop_over(uv_timer_t* timer);

  Worker& worker_;
  const PlannedScenario& scenario_;
  Segment segment_;
  std::unique_ptr<Executor> executor_;
  std::vector<std::unique_ptr<Vu>> vus_;
  std::vector<Vu*> vu_views_;
  State state_ = State::kWaiting;
  size_t busy_ = 0;
  uint64_t started_ns_ = 0;
  uv_timer_t start_timer_, finish_timer_, graceful_timer_;
};

}  // namespace lueng::exec
