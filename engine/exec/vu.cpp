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
      session_(worker.http()) {
  uv_timer_init(worker.loop(), &sleep_timer_);
  sleep_timer_.data = this;
}

Vu::~Vu() {
  if (pending_response_) worker_.responses().give_back(pending_response_);
  worker_.script().release(co_);
}

void Vu::close() {
  session_.close_all();
  uv_close(reinterpret_cast<uv_handle_t*>(&sleep_timer_), nullptr);
}

void Vu::run_iteration() {
  in_iteration_ = true;
  iteration_start_ns_ = uv_hrtime();
  if (scheduled_ns) {
    record_iteration_start_lag(worker_, *this,
                               static_cast<double>(iteration_start_ns_ - scheduled_ns) / 1e6);
    scheduled_ns = 0;
  }
  group_.clear();
  group_starts_.clear();
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
    end_iteration({true, false, "coroutine.yield() cannot be used in VU code"});
  }
}

void Vu::end_iteration(const bindings::ResumeOutcome& outcome) {
  in_iteration_ = false;
  if (!outcome.ok) worker_.report_error(outcome.error);
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
    session_.close_all();
    worker_.responses().give_back(pending_response_);
    pending_response_ = nullptr;
  } else if (waiting_ == Waiting::kSleep) {
    uv_timer_stop(&sleep_timer_);
  }
  waiting_ = Waiting::kNothing;
  in_iteration_ = false;
  worker_.script().restart(co_);
  run_.iteration_ended(*this, false);
}

void Vu::send_http() {
  pending_response_ = worker_.responses().take();
  pending_response_->url.assign(call_.url_text);
  pending_response_->method.assign(call_.method);
  http::Request request;
  request.method = call_.method;
  request.url = &call_.url;
  request.headers = call_.headers();
  request.body = call_.body;
  request.timeout_seconds = call_.timeout_seconds;
  request.discard_body = call_.discard_body;
  waiting_ = Waiting::kHttp;
  session_.send(request, pending_response_->data, this);
}

void Vu::on_response(http::ResponseData& response) {
  waiting_ = Waiting::kNothing;
  record_http(worker_, *this, call_, response);
  bindings::push_response(co_.thread, pending_response_, &worker_.responses());
  pending_response_ = nullptr;
  resume(1);
}

void Vu::sleep(double seconds) {
  waiting_ = Waiting::kSleep;
  auto ms = static_cast<uint64_t>(std::llround(std::max(0.0, seconds) * 1000.0));
  uv_timer_start(&sleep_timer_, on_sleep_done, ms, 0);
}

void Vu::on_sleep_done(uv_timer_t* timer) {
  Vu* vu = static_cast<Vu*>(timer->data);
  vu->waiting_ = Waiting::kNothing;
  vu->resume(0);
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
