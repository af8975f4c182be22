#include "engine/exec/vu.hpp"

#include <cmath>

#include "bindings/modules.hpp"
#include "engine/exec/response_pool.hpp"
#include "engine/exec/samples.hpp"
#include "engine/exec/scenario_run.hpp"
#include "engine/exec/worker.hpp"

namespace lueng::exec {

namespace {
thread_local Vu* t_running = nullptr;
}

Vu* Vu::running() {
  return t_running;
}

Vu::Vu(Worker& worker, ScenarioRun& run, uint64_t id, uint64_t id_in_scenario,
       bindings::Coroutine coroutine)
    : worker_(worker),
      run_(run),
      id_(id),
      id_in_scenario_(id_in_scenario),
      co_(coroutine),
      flight_(*this, worker.http()) {}

Vu::~Vu() {
  batch_.reset();
  drop_batch_input();
  drop_call_hold();
  if (pending_response_) worker_.responses().give_back(pending_response_);
  worker_.script().release(co_);
}

void Vu::close() {
  flight_.abandon();
  if (batch_) batch_->abandon();
  worker_.wakeups().cancel(sleep_wakeup_);
  worker_.wakeups().cancel(backoff_wakeup_);
}

void Vu::run_iteration() {
  in_iteration_ = true;
  waited_ = false;
  iteration_start_ns_ = uv_hrtime();
  if (scheduled_ns) {
    record_iteration_start_lag(worker_, *this,
                               static_cast<double>(iteration_start_ns_ - scheduled_ns) / 1e6);
    scheduled_ns = 0;
  }
  group_.clear();
  group_starts_.clear();
  if (!worker_.plan().http.no_cookies_reset) cookies_.clear();
  resume(0);
}

void Vu::resume(int nargs) {
  Vu* outer = t_running;
  t_running = this;
  bindings::ResumeOutcome outcome = worker_.script().resume(co_, nargs, worker_.call_result());
  t_running = outer;
  if (outcome.iteration_ended) {
    end_iteration(outcome);
  } else if (waiting_ == Waiting::kNothing) {
    // The script yielded by itself: nothing would ever resume it.
    worker_.script().restart(co_);
    bindings::ResumeOutcome misuse;
    misuse.iteration_ended = true;
    misuse.ok = false;
    misuse.error = "coroutine.yield() cannot be used in VU code";
    end_iteration(misuse);
  }
}

void Vu::end_iteration(const bindings::ResumeOutcome& outcome) {
  in_iteration_ = false;
  if (outcome.interrupted) {  // a hard stop broke into code that never waited
    worker_.note_interrupted();
    run_.iteration_ended(*this, false);
    return;
  }
  if (!outcome.ok) worker_.report_error(*this, outcome.error, outcome.deliberate);
  // An iteration that fails before it ever waits would have its VU spin through
  // failures as fast as the CPU goes: looping executors back off (ScenarioRun).
  quick_failures_ = !outcome.ok && !waited_ ? quick_failures_ + 1 : 0;
  double duration_ms = static_cast<double>(uv_hrtime() - iteration_start_ns_) / 1e6;
  record_iteration(worker_, *this, duration_ms);
  ++iteration_;
  run_.iteration_ended(*this, true);
}

void Vu::abort() {
  if (queued) {
    queued = false;
    run_.iteration_ended(*this, false);
    return;
  }
  if (!in_iteration_) return;
  if (waiting_ == Waiting::kHttp) {
    flight_.abandon();
    worker_.responses().give_back(pending_response_);
    pending_response_ = nullptr;
    drop_call_hold();
  } else if (waiting_ == Waiting::kBatch) {
    batch_->abandon();
    drop_batch_input();
  } else if (waiting_ == Waiting::kSleep) {
    worker_.wakeups().cancel(sleep_wakeup_);
  }
  waiting_ = Waiting::kNothing;
  in_iteration_ = false;
  worker_.script().restart(co_);
  run_.iteration_ended(*this, false);
}

HttpCall& Vu::prepare_http_call() {
  const HttpOptions& options = worker_.plan().http;
  call_.reset(options.discard_response_bodies, options.max_redirects,
              options.max_response_body_size);
  return call_;
}

void Vu::send_http(int hold_ref) {
  call_hold_ref_ = hold_ref;
  pending_response_ = worker_.responses().take();
  waiting_ = Waiting::kHttp;
  waited_ = true;
  flight_.start(call_, *pending_response_, *this);
}

void Vu::on_flight_done(HttpFlight& flight) {
  waiting_ = Waiting::kNothing;
  drop_call_hold();
  bindings::push_response(co_.thread, flight.response(), &worker_.responses());
  pending_response_ = nullptr;
  resume(1);
}

HttpCall& Vu::prepare_batch_entry(size_t index) {
  if (!batch_) batch_ = std::make_unique<HttpBatch>(*this, flight_);
  const HttpOptions& options = worker_.plan().http;
  HttpCall& call = batch_->entry(index);
  call.reset(options.discard_response_bodies, options.max_redirects,
             options.max_response_body_size);
  return call;
}

void Vu::send_batch(size_t count, int input_ref) {
  batch_input_ref_ = input_ref;
  waiting_ = Waiting::kBatch;
  waited_ = true;
  const HttpOptions& options = worker_.plan().http;
  batch_->start(count, options.batch, options.batch_per_host, *this);
}

void Vu::on_batch_done() {
  waiting_ = Waiting::kNothing;
  int input_ref = batch_input_ref_;
  batch_input_ref_ = LUA_NOREF;
  bindings::push_batch_responses(co_.thread, input_ref, *batch_, &worker_.responses());
  resume(1);
}

void Vu::drop_batch_input() {
  if (batch_input_ref_ != LUA_NOREF) luaL_unref(co_.thread, LUA_REGISTRYINDEX, batch_input_ref_);
  batch_input_ref_ = LUA_NOREF;
}

void Vu::drop_call_hold() {
  if (call_hold_ref_ != LUA_NOREF) luaL_unref(co_.thread, LUA_REGISTRYINDEX, call_hold_ref_);
  call_hold_ref_ = LUA_NOREF;
}

void Vu::sleep(double seconds) {
  waiting_ = Waiting::kSleep;
  waited_ = true;
  // A deadline, not a millisecond timer: sleep(0.0004) sleeps 0.4 ms, and a VU
  // pacing itself with short sleeps keeps its rate.
  double ns = std::min(std::max(0.0, seconds) * 1e9, 1e18);
  worker_.wakeups().add(sleep_wakeup_, uv_hrtime() + static_cast<uint64_t>(ns));
}

void Vu::on_sleep_done(void* self, uint64_t) {
  Vu* vu = static_cast<Vu*>(self);
  vu->waiting_ = Waiting::kNothing;
  vu->resume(0);
}

void Vu::on_backoff_over(void* self, uint64_t) {
  Vu* vu = static_cast<Vu*>(self);
  vu->run_.backoff_over(*vu);
}

void Vu::record_check(std::string_view name, bool passed, TagList extra_tags) {
  exec::record_check(worker_, *this, name, passed, extra_tags);
}

size_t Vu::group_enter(std::string_view name) {
  size_t token = group_.size();
  group_.append("::");
  group_.append(name);
  group_starts_.push_back(uv_hrtime());
  return token;
}

void Vu::group_leave(size_t token) {
  if (group_starts_.empty() || token > group_.size()) return;
  double duration_ms = static_cast<double>(uv_hrtime() - group_starts_.back()) / 1e6;
  group_starts_.pop_back();
  record_group(worker_, *this, duration_ms);
  group_.resize(token);
}

}  // namespace lueng::exec
