#include "engine/exec/worker.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "engine/common/duration.hpp"
#include "engine/common/exit_codes.hpp"
#include "engine/exec/engine_error.hpp"
#include "engine/exec/options.hpp"
#include "engine/exec/samples.hpp"
#include "engine/exec/test_status.hpp"
#include "engine/exec/vu.hpp"
#include "engine/output/sample_writer.hpp"

namespace lueng::exec {

Worker::Worker(int index, const RunPlan& plan, RunShared& shared)
    : index_(index), plan_(plan), shared_(shared), sink_(plan.catalog) {
  for (const auto& [metric, filter] : plan.tracked) sink_.track(metric, filter);
  if (plan.samples) sink_.stream_to(plan.samples->open_channel());
  // The loop and the stop handle exist before the thread does, so that
  // request_stop() works from the first moment.
  check_uv(uv_loop_init(&loop_), "a worker's event loop");
  // What the loop spends waiting in the poll: the rest of the time the worker was
  // busy, which tells a saturated generator from a slow target.
  uv_loop_configure(&loop_, UV_METRICS_IDLE_TIME);
  wakeups_.emplace(&loop_);
  check_uv(uv_async_init(&loop_, &stop_async_, on_stop_request), "a worker's stop handle");
  stop_async_.data = this;
  stop_async_open_ = true;
  uv_idle_init(&loop_, &ready_idle_);
  ready_idle_.data = this;
  uv_timer_init(&loop_, &tick_timer_);
  tick_timer_.data = this;
  uv_timer_init(&loop_, &shutdown_timer_);
  shutdown_timer_.data = this;
}

Worker::~Worker() {
  join();
  close_handles();  // a worker that never ran has them open still
  runs_.clear();
  script_.reset();
  http_.reset();
  // Sessions and the client close their handles as they go; let those closes finish.
  uv_run(&loop_, UV_RUN_DEFAULT);
  uv_loop_close(&loop_);
}

void Worker::start() {
  thread_ = std::thread([this] {
    run();
    finished_.store(true, std::memory_order_release);
    shared_.notify_main();
  });
}

void Worker::join() {
  if (thread_.joinable()) thread_.join();
}

void Worker::run() {
  http_ = std::make_unique<http::Client>(&loop_, plan_.user_agent, plan_.tls);
  http_->dns().configure(plan_.http.dns);
  // Names to addresses are pinned in the DNS cache; entries with a port go to the
  // client's host map (checked when the options were read).
  auto ported = std::make_shared<http::HostMap>();
  for (const auto& [host, target] : plan_.http.hosts) {
    http::HostMapping mapping;
    http::parse_host_mapping(host, target, &mapping);
    if (mapping.port == 0 && mapping.to_port == 0)
      http_->dns().pin(host, target);
    else
      ported->add(std::move(mapping));
  }
  if (!ported->empty()) http_->set_host_map(std::move(ported));
  if (!plan_.http.block_lists.empty())
    http_->set_block_lists(std::make_shared<const http::BlockLists>(plan_.http.block_lists));
  try {
    script_ = plan_.runtime->load(plan_.source, plan_.catalog);
    std::vector<size_t> all(plan_.scenarios.size());
    for (size_t i = 0; i < all.size(); ++i) all[i] = i;
    build(all);
  } catch (const ScriptError& error) {
    failure_ = error.what();
  }
  // No worker starts before every worker has built its VUs: one whose init code
  // fails cancels the test before a single request, rather than leaving it to
  // run with fewer VUs than asked.
  bool go = shared_.worker_ready() && failure_.empty();
  busy_since_ns_ = uv_hrtime();
  idle_since_ns_ = uv_metrics_idle_time(&loop_);
  uv_timer_start(&tick_timer_, on_tick, 1000, 1000);
  if (go) {
    for (auto& run : runs_) run->schedule();
    if (int level = stop_level_.load())
      for (auto& run : runs_) run->stop(level > 1);
  } else {
    for (auto& run : runs_) run->stop(true);
  }
  shared_.started_workers.fetch_add(1, std::memory_order_release);
  shared_.notify_main();
  scenario_completed();  // shuts down at once when there is nothing to run
  uv_run(&loop_, UV_RUN_DEFAULT);
  flush_interval(false);  // the loop has ended: its last moments say nothing of load
  for (auto& scenario : runs_) scenario->publish_progress();
  if (!sink_.tracked().empty()) shared_.live.publish(static_cast<size_t>(index_), sink_.tracked());
}

void Worker::build(const std::vector<size_t>& scenario_indices) {
  for (size_t s : scenario_indices) {
    const PlannedScenario& scenario = plan_.scenarios[s];
    Segment segment = scenario.segment_of(index_, plan_.workers, plan_.instance());
    const ExecutorConfig& executor = *scenario.config.executor_config;
    int64_t vus = executor.max_vus(segment);
    if (vus <= 0) continue;
    runs_.push_back(std::make_unique<ScenarioRun>(*this, scenario, segment));
    int64_t initial = executor.initial_vus(segment);
    for (int64_t k = 0; k < initial; ++k) {
      runs_.back()->spawn_vu();
      beat();
    }
  }
}

void CallStop::stop() {
  std::lock_guard lock(mutex_);
  stopped_ = true;
  if (worker_) worker_->request_stop(true);
}

void CallStop::attach(Worker* worker) {
  std::lock_guard lock(mutex_);
  worker_ = worker;
  if (stopped_) worker->request_stop(true);
}

void CallStop::detach() {
  std::lock_guard lock(mutex_);
  worker_ = nullptr;
}

namespace {
const char* timeout_option(const std::string& function) {
  if (function == "setup") return "options.setupTimeout";
  if (function == "teardown") return "options.teardownTimeout";
  return "options.handleSummaryTimeout";
}
}  // namespace

std::string Worker::call_function(const RunPlan& main_plan, const std::string& name,
                                  const std::string& data_json, metrics::MetricSet& record_into,
                                  double timeout_seconds, CallStop* stop) {
  RunPlan plan;
  plan.runtime = main_plan.runtime;
  plan.source = main_plan.source;
  plan.catalog = main_plan.catalog;
  plan.tracked = main_plan.tracked;
  plan.samples = main_plan.samples;
  plan.user_agent = main_plan.user_agent;
  plan.http = main_plan.http;
  plan.system_tags = main_plan.system_tags;
  plan.tls = main_plan.tls;
  plan.options_json = main_plan.options_json;
  plan.setup_json = data_json;
  plan.start_ns = uv_hrtime();
  // One VU runs the function once, within its timeout (k6's setupTimeout,
  // teardownTimeout): the scenario of `lueng run -u 1 -i 1 -d TIMEOUT`.
  Shortcuts once;
  once.vus = 1;
  once.iterations = 1;
  once.duration = timeout_seconds;
  PlannedScenario& scenario = plan.scenarios.emplace_back();
  scenario.config = scenario_from_shortcuts(once);
  scenario.config.name = name;
  scenario.config.exec = name;
  scenario.config.root_group = "::" + name;
  scenario.config.graceful_stop = 0;
  plan.assign_vus();

  std::string result;
  RunShared own;  // setup's VU must not count among the test's VUs
  own.release_workers(true);
  Worker worker(0, plan, own);
  worker.call_result_ = &result;
  if (stop) stop->attach(&worker);
  worker.run();
  if (stop) stop->detach();
  record_into.merge(worker.sink_);
  if (worker.interrupted_ || worker.stop_level_.load() > 0) throw ScriptInterrupted();
  if (worker.failed()) throw ScriptError(worker.failure_);
  if (!worker.call_error_.empty()) throw ScriptError(name + "() failed: " + worker.call_error_);
  if (scenario.shared->iterations_done.load() == 0 && !test_status().aborted())
    throw PhaseTimeout(fmt::format("{}() did not finish within {} ({})", name,
                                   format_duration(timeout_seconds), timeout_option(name)),
                       name == "setup"      ? kExitSetupTimeout
                       : name == "teardown" ? kExitTeardownTimeout
                                            : kExitScriptError);
  return result;
}

void Worker::request_stop(bool hard) {
  int level = hard ? 2 : 1;
  int current = stop_level_.load();
  while (current < level && !stop_level_.compare_exchange_weak(current, level)) {
  }
  std::lock_guard lock(stop_mutex_);
  if (stop_async_open_) uv_async_send(&stop_async_);
}

void Worker::on_stop_request(uv_async_t* async) {
  auto* worker = static_cast<Worker*>(async->data);
  bool hard = worker->stop_level_.load() > 1;
  for (auto& run : worker->runs_) run->stop(hard);
}

void Worker::enqueue(Vu& vu) {
  if (&vu == taking_start_of_) {
    start_taken_ = true;
    return;
  }
  vu.queued = true;
  ready_.push_back(&vu);
  if (ready_.size() == 1) uv_idle_start(&ready_idle_, on_ready);
}

void Worker::on_ready(uv_idle_t* idle) {
  // Iterations start from the loop, never from inside another VU's callback, so
  // a script that never waits still lets timers and I/O run between iterations.
  auto* worker = static_cast<Worker*>(idle->data);
  worker->beat();
  std::swap(worker->ready_, worker->running_batch_);
  for (Vu* vu : worker->running_batch_) {
    if (!vu->queued) continue;
    vu->queued = false;
    vu->run_iteration();
  }
  worker->running_batch_.clear();
  if (worker->ready_.empty()) uv_idle_stop(idle);
}

IntervalStats& Worker::interval(uint64_t now_ns) {
  // A sample may be timed a little before the latest one (a response completed
  // inside the call that started it is delivered on the next loop turn): it
  // counts at the latest time, so that the intervals only move forward.
  if (now_ns < latest_ns_)
    now_ns = latest_ns_;
  else
    latest_ns_ = now_ns;
  auto second = static_cast<int64_t>((now_ns - plan_.start_ns) / 1'000'000'000);
  if (second != interval_.second) {
    flush_interval();
    interval_.reset(second);
  }
  return interval_;
}

uint32_t Worker::new_endpoint(metrics::TagSetId tags, std::string_view method,
                              std::string_view endpoint) {
  if (tags >= endpoint_of_.size()) endpoint_of_.resize(tags + 1, kNoEndpoint);
  uint32_t index = sink_.folded(tags) ? shared_.endpoints.index_of("", result::kOtherEndpoint)
                                      : shared_.endpoints.index_of(method, endpoint);
  endpoint_of_[tags] = index;
  return index;
}

void Worker::flush_interval(bool measure_busy) {
  uint64_t now = uv_hrtime(), idle = uv_metrics_idle_time(&loop_);
  if (measure_busy && now > busy_since_ns_) {
    double busy =
        1 - static_cast<double>(idle - idle_since_ns_) / static_cast<double>(now - busy_since_ns_);
    interval_.busy = std::clamp(busy, 0.0, 1.0);
  }
  busy_since_ns_ = now;
  idle_since_ns_ = idle;
  if (!interval_.empty()) shared_.post(interval_);
  interval_.reset(interval_.second);
}

void Worker::on_tick(uv_timer_t* timer) {
  // Quiet seconds still reach the main thread promptly.
  auto* worker = static_cast<Worker*>(timer->data);
  worker->beat();
  uint64_t now = uv_hrtime();
  worker->interval(now);
  if (now >= worker->next_snapshot_ns_) worker->take_snapshot(now);
  for (auto& run : worker->runs_) run->publish_progress();
  if (!worker->sink_.tracked().empty())
    worker->shared_.live.publish(static_cast<size_t>(worker->index_), worker->sink_.tracked());
}

void Worker::take_snapshot(uint64_t now) {
  metrics::MetricSet snapshot(plan_.catalog);
  snapshot.merge(sink_);
  shared_.snapshots.publish(static_cast<size_t>(index_), std::move(snapshot),
                            sink_.overflowed_tag_sets());
  // About 1% of the worker's time at most: a second apart, or a hundred times
  // what the snapshot took, up to a minute.
  uint64_t cost = uv_hrtime() - now;
  next_snapshot_ns_ = now + std::clamp<uint64_t>(cost * 100, 1'000'000'000, 60'000'000'000);
}

void Worker::interrupt_lua() {
  if (thread_.joinable() && !finished()) plan_.runtime->interrupt(thread_.native_handle());
}

void Worker::abandon() {
  thread_.detach();
}

void Worker::report_error(Vu& vu, const std::string& message, bool deliberate) {
  if (call_result_) {  // setup() or teardown(): the caller reports it
    call_error_ = message;
    return;
  }
  record_script_error(*this, vu, deliberate);
  shared_.errors.report(message, "iteration", deliberate);
}

void Worker::scenario_completed() {
  for (auto& run : runs_)
    if (!run->complete()) return;
  begin_shutdown();
}

void Worker::begin_shutdown() {
  if (shutting_down_) return;
  shutting_down_ = true;
  // Deferred to a fresh loop turn: we may be deep inside a VU's callback here.
  uv_timer_start(&shutdown_timer_, on_shutdown, 0, 0);
}

void Worker::on_shutdown(uv_timer_t* timer) {
  static_cast<Worker*>(timer->data)->close_handles();
}

void Worker::close_handles() {
  if (handles_closed_) return;
  handles_closed_ = true;
  for (auto& run : runs_) run->close();
  wakeups_->close();
  {
    std::lock_guard lock(stop_mutex_);
    stop_async_open_ = false;
    uv_close(reinterpret_cast<uv_handle_t*>(&stop_async_), nullptr);
  }
  for (uv_handle_t* handle :
       {reinterpret_cast<uv_handle_t*>(&ready_idle_), reinterpret_cast<uv_handle_t*>(&tick_timer_),
        reinterpret_cast<uv_handle_t*>(&shutdown_timer_)})
    uv_close(handle, nullptr);
}

}  // namespace lueng::exec
