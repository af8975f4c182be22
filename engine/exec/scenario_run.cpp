#include "engine/exec/scenario_run.hpp"

#include <cmath>

#include "engine/exec/vu.hpp"
#include "engine/exec/worker.hpp"

namespace lueng::exec {

namespace {
uint64_t to_ms(double seconds) {
  return static_cast<uint64_t>(std::llround(std::max(0.0, seconds) * 1000));
}
}  // namespace

ScenarioRun::ScenarioRun(Worker& worker, const PlannedScenario& scenario, Segment segment)
    : worker_(worker),
      scenario_(scenario),
      segment_(segment),
      executor_(scenario.kind->create(scenario.config, segment, *scenario.shared)) {
  for (uv_timer_t* timer : {&start_timer_, &finish_timer_, &graceful_timer_}) {
    uv_timer_init(worker.loop(), timer);
    timer->data = this;
  }
}

ScenarioRun::~ScenarioRun() = default;

uv_loop_t* ScenarioRun::loop() const {
  return worker_.loop();
}

void ScenarioRun::add_vu(std::unique_ptr<Vu> vu) {
  vu_views_.push_back(vu.get());
  vus_.push_back(std::move(vu));
}

void ScenarioRun::schedule() {
  // Scenario clocks count from the test start, not from when this worker got here.
  double since_start = static_cast<double>(uv_hrtime() - worker_.plan().start_ns) / 1e9;
  uv_timer_start(&start_timer_, on_start, to_ms(config().start_time - since_start), 0);
}

void ScenarioRun::on_start(uv_timer_t* timer) {
  static_cast<ScenarioRun*>(timer->data)->begin();
}

void ScenarioRun::begin() {
  if (state_ != State::kWaiting) return;
  state_ = State::kRunning;
  started_ns_ = uv_hrtime();
  executor_->start(*this);
}

double ScenarioRun::elapsed() const {
  return state_ == State::kWaiting ? 0 : static_cast<double>(uv_hrtime() - started_ns_) / 1e9;
}

void ScenarioRun::start_iteration(Vu& vu) {
  if (state_ != State::kRunning || vu.queued || vu.in_iteration()) return;
  ++busy_;
  worker_.shared().busy_vus.fetch_add(1, std::memory_order_relaxed);
  worker_.enqueue(vu);
}

void ScenarioRun::iteration_ended(Vu& vu, bool completed) {
  --busy_;
  worker_.shared().busy_vus.fetch_sub(1, std::memory_order_relaxed);
  if (completed)
    shared().iterations_done.fetch_add(1, std::memory_order_relaxed);
  else
    shared().iterations_interrupted.fetch_add(1, std::memory_order_relaxed);
  if (state_ == State::kRunning)
    executor_->on_iteration_end(*this, vu);
  else if (state_ == State::kFinishing && busy_ == 0)
    set_complete();
}

void ScenarioRun::finish_after(double seconds) {
  uv_timer_start(&finish_timer_, on_finish, to_ms(seconds), 0);
}

void ScenarioRun::on_finish(uv_timer_t* timer) {
  static_cast<ScenarioRun*>(timer->data)->finish();
}

void ScenarioRun::finish() {
  if (state_ == State::kWaiting) {
    set_complete();
    return;
  }
  if (state_ != State::kRunning) return;
  state_ = State::kFinishing;
  uv_timer_stop(&finish_timer_);
  if (busy_ == 0) {
    set_complete();
    return;
  }
  uv_timer_start(&graceful_timer_, on_graceful_stop_over, to_ms(config().graceful_stop), 0);
}

void ScenarioRun::on_graceful_stop_over(uv_timer_t* timer) {
  static_cast<ScenarioRun*>(timer->data)->abort_all();
}

void ScenarioRun::abort_all() {
  for (Vu* vu : vu_views_) vu->abort();
  if (state_ != State::kComplete) set_complete();
}

void ScenarioRun::stop(bool hard) {
  uv_timer_stop(&start_timer_);
  finish();
  if (hard && state_ != State::kComplete) abort_all();
}

void ScenarioRun::set_complete() {
  state_ = State::kComplete;
  for (uv_timer_t* timer : {&start_timer_, &finish_timer_, &graceful_timer_}) uv_timer_stop(timer);
  worker_.scenario_completed();
}

void ScenarioRun::close() {
  for (Vu* vu : vu_views_) vu->close();
  for (uv_timer_t* timer : {&start_timer_, &finish_timer_, &graceful_timer_})
    uv_close(reinterpret_cast<uv_handle_t*>(timer), nullptr);
}

}  // namespace lueng::exec
