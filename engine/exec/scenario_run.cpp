#include "engine/exec/scenario_run.hpp"

#include <chrono>
#include <cmath>

#include "engine/exec/samples.hpp"
#include "engine/exec/test_status.hpp"
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
      executor_(scenario.config.executor_config->create(segment, *scenario.shared)),
      max_vus_(scenario.config.executor_config->max_vus(segment)) {
  for (uv_timer_t* timer : {&start_timer_, &finish_timer_, &graceful_timer_}) {
    uv_timer_init(worker.loop(), timer);
    timer->data = this;
  }
}

ScenarioRun::~ScenarioRun() = default;

uv_loop_t* ScenarioRun::loop() const {
  return worker_.loop();
}

Vu* ScenarioRun::spawn_vu() {
  if (static_cast<int64_t>(vus_.size()) >= max_vus_) return nullptr;
  uint64_t id = scenario_.first_vu_id[segment_.index] + vus_.size();
  std::unique_ptr<ScriptVu> script =
      worker_.script().new_vu(config().exec, worker_.plan().setup_json, config().env);
  vus_.push_back(std::make_unique<Vu>(worker_, *this, id, id - scenario_.first_vu_id[0] + 1,
                                      std::move(script)));
  vus_.back()->index_in_run = vus_.size() - 1;
  vu_views_.push_back(vus_.back().get());
  shared().initialized_vus.fetch_add(1, std::memory_order_relaxed);
  worker_.shared().initialized_vus.fetch_add(1, std::memory_order_relaxed);
  return vu_views_.back();
}

void ScenarioRun::publish_progress() {
  auto publish = [](std::atomic<int64_t>& shared, int64_t now, int64_t& published) {
    shared.fetch_add(now - published, std::memory_order_relaxed);
    published = now;
  };
  publish(shared().requests, requests_, published_requests_);
  publish(shared().failed_requests, failed_requests_, published_failed_);
  publish(shared().busy_vus, static_cast<int64_t>(busy_), published_busy_);
}

void ScenarioRun::drop_iteration() {
  shared().iterations_dropped.fetch_add(1, std::memory_order_relaxed);
  record_dropped_iteration(worker_, config());
}

void ScenarioRun::schedule() {
  // Scenario clocks count from the test start, not from when this worker got here.
  // The loop's cached time dates from before the VUs were built, and a timer is due
  // that long after it: refresh it, or a slow build starts the scenario early.
  uv_update_time(loop());
  double since_start = static_cast<double>(uv_hrtime() - worker_.plan().start_ns) / 1e9;
  // Due now: begun at once, so its VUs count as busy before the worker reports
  // itself started (the VU gauge of second 0 is sampled then).
  if (config().start_time <= since_start)
    begin();
  else
    uv_timer_start(&start_timer_, on_start, to_ms(config().start_time - since_start), 0);
}

void ScenarioRun::on_start(uv_timer_t* timer) {
  static_cast<ScenarioRun*>(timer->data)->begin();
}

void ScenarioRun::begin() {
  if (state_ != State::kWaiting) return;
  state_ = State::kRunning;
  started_ns_ = uv_hrtime();
  started_unix_ms_ =
      std::chrono::duration<double, std::milli>(std::chrono::system_clock::now().time_since_epoch())
          .count();
  int64_t unset = 0;
  shared().started_ns.compare_exchange_strong(unset, static_cast<int64_t>(started_ns_));
  executor_->start(*this);
}

double ScenarioRun::elapsed() const {
  return state_ == State::kWaiting ? 0 : static_cast<double>(uv_hrtime() - started_ns_) / 1e9;
}

void ScenarioRun::start_iteration(Vu& vu, uint64_t scheduled_ns) {
  if (state_ != State::kRunning || vu.queued || vu.in_iteration()) return;
  // After lueng.test.abort() no iteration of the load starts: the supervisor stops
  // the test on its next tick, and until then a VU would send the requests of
  // another one. teardown() still runs.
  if (test_status().aborted() && !vu.runs_a_hook()) [[unlikely]]
    return;
  vu.scheduled_ns = scheduled_ns;
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
  if (state_ == State::kRunning) {
    if (uint32_t failures = vu.quick_failures(); failures > 0 && executor_->restarts_at_once()) {
      // 1 ms after the first failure that never waited, doubling up to 1 s: a script
      // broken from its first line costs no CPU to speak of, and a rare failure
      // costs its VU a millisecond.
      uint64_t backoff_ns = 1'000'000ull << std::min<uint32_t>(failures - 1, 10);
      worker_.wakeups().add(vu.backoff(), uv_hrtime() + backoff_ns);
      return;
    }
    // minIterationDuration, as k6: a VU whose iteration ran (not one cut short)
    // shorter than it waits for the rest before its next one; its metrics were
    // recorded without the wait.
    if (uint64_t min_ns = worker_.plan().min_iteration_ns; completed && min_ns > 0) {
      uint64_t due = vu.iteration_start_ns() + min_ns;
      if (due > uv_hrtime()) {
        worker_.wakeups().add(vu.backoff(), due);
        return;
      }
    }
    executor_->on_iteration_end(*this, vu);
  } else if (state_ == State::kFinishing && busy_ == 0) {
    set_complete();
  }
}

void ScenarioRun::backoff_over(Vu& vu) {
  if (state_ == State::kRunning) executor_->on_iteration_end(*this, vu);
}

void ScenarioRun::finish_after(double seconds) {
  uv_timer_start(&finish_timer_, on_finish, to_ms(seconds), 0);
}

void ScenarioRun::wake_at(uint64_t due_ns) {
  worker_.wakeups().add(wakeup_, due_ns);
}

void ScenarioRun::wake_after(double seconds) {
  wake_at(uv_hrtime() + static_cast<uint64_t>(std::max(0.0, seconds) * 1e9));
}

void ScenarioRun::on_wakeup(void* self, uint64_t now_ns) {
  auto* run = static_cast<ScenarioRun*>(self);
  if (run->state_ == State::kRunning) run->executor_->on_wakeup(*run, now_ns);
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
  for (Vu* vu : vu_views_) {
    vu->abort();
    worker_.beat();
  }
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
  worker_.wakeups().cancel(wakeup_);
  worker_.scenario_completed();
}

void ScenarioRun::close() {
  for (Vu* vu : vu_views_) vu->close();
  worker_.wakeups().cancel(wakeup_);
  for (uv_timer_t* timer : {&start_timer_, &finish_timer_, &graceful_timer_})
    uv_close(reinterpret_cast<uv_handle_t*>(timer), nullptr);
}

}  // namespace lueng::exec
