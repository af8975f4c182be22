#include "engine/exec/test_run.hpp"

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <csignal>
#include <cstdio>
#include <functional>
#include <optional>
#include <thread>

#include <fmt/format.h>

#include "bindings/lua_json.hpp"
#include "bindings/metric_catalog_access.hpp"
#include "engine/common/random.hpp"
#include "engine/common/version.hpp"
#include "engine/exec/progress.hpp"
#include "engine/exec/time_series.hpp"
#include "engine/exec/worker.hpp"
#include "engine/metrics/sink.hpp"
#include "engine/output/sample_writer.hpp"
#include "engine/output/script_errors.hpp"
#include "engine/output/slo_report.hpp"
#include "engine/thresholds/definitions.hpp"
#include "engine/thresholds/evaluate.hpp"

namespace lueng::exec {

namespace {

int64_t unix_ms_now() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

output::ScenarioSummary summarize(const PlannedScenario& s) {
  const ScenarioConfig& c = s.config;
  output::ScenarioSummary summary;
  summary.name = c.name;
  summary.executor = c.executor;
  summary.description = s.kind->describe(c);
  summary.max_duration = s.kind->max_duration(c);
  summary.exec = c.exec;
  summary.vus = c.vus;
  summary.iterations = c.iterations;
  summary.duration = c.duration;
  summary.start_time = c.start_time;
  summary.graceful_stop = c.graceful_stop;
  summary.tags = c.tags;
  summary.start_target = c.executor == "ramping-arrival-rate" ? c.start_rate : c.start_vus;
  for (const Stage& stage : c.stages) summary.stages.emplace_back(stage.duration, stage.target);
  summary.breaking_p95_ms = c.breaking_p95_ms;
  summary.breaking_error_rate = c.breaking_error_rate;
  return summary;
}

// The main thread's loop while workers run: per-second bookkeeping and signals.
struct Supervisor {
  Supervisor(RunShared& shared, std::vector<std::unique_ptr<Worker>>& workers, RunPlan& plan,
             std::optional<ProgressView> progress)
      : shared(shared), workers(workers), plan(plan), progress(std::move(progress)) {}

  RunShared& shared;
  std::vector<std::unique_ptr<Worker>>& workers;
  RunPlan& plan;
  std::optional<ProgressView> progress;  // none with --quiet
  // Called every second with the seconds since the start; true stops the run
  // gracefully (abort_on_fail).
  std::function<bool(double)> should_abort;
  bool aborted = false;
  TimeSeriesBuilder series;
  int finished = 0;
  int signals = 0;
  bool start_sampled = false;
  bool init_failed = false;  // a worker's init code failed: the test never started
  std::string interrupt_reason;
  metrics::SampleChannel* gauges = nullptr;  // the VU gauges for streaming outputs
  // The VU gauges for abort_on_fail: measured here rather than by a worker, they
  // are published into the live slot after the workers' ones.
  metrics::Sink* live_gauges = nullptr;
  metrics::TagSetId live_gauge_tags = 0;
  uv_loop_t loop;
  uv_async_t done;
  uv_timer_t tick;
  uv_signal_t sigint, sigterm;

  void run() {
    uv_loop_init(&loop);
    uv_async_init(&loop, &done, on_done);
    uv_timer_init(&loop, &tick);
    uv_signal_init(&loop, &sigint);
    uv_signal_init(&loop, &sigterm);
    for (uv_handle_t* h : handles()) h->data = this;
    shared.worker_done = &done;
    uv_signal_start(&sigint, on_signal, SIGINT);
    uv_signal_start(&sigterm, on_signal, SIGTERM);
    for (auto& worker : workers) worker->start();
    uv_run(&loop, UV_RUN_DEFAULT);
    uv_loop_close(&loop);
    for (const auto& stats : shared.take()) series.add(stats);
    if (progress) progress->finish();
  }

  std::vector<uv_handle_t*> handles() {
    return {reinterpret_cast<uv_handle_t*>(&done), reinterpret_cast<uv_handle_t*>(&tick),
            reinterpret_cast<uv_handle_t*>(&sigint), reinterpret_cast<uv_handle_t*>(&sigterm)};
  }

  static void on_done(uv_async_t* async) {
    // uv_async coalesces sends, so count the threads that really ended.
    auto* self = static_cast<Supervisor*>(async->data);
    if (!self->shared.released()) {
      if (self->shared.ready_workers.load(std::memory_order_acquire) <
          static_cast<int>(self->workers.size()))
        return;
      self->release();
    }
    self->sample_start();
    self->finished = 0;
    for (auto& worker : self->workers) self->finished += worker->finished() ? 1 : 0;
    if (self->finished < static_cast<int>(self->workers.size())) return;
    // A thread that has set finished may still be inside uv_async_send; joining
    // it (it is about to return) makes closing the handle safe.
    for (auto& worker : self->workers) worker->join();
    for (uv_handle_t* h : self->handles()) uv_close(h, nullptr);
  }

  // Every worker has run the init code and built its VUs: the test starts now,
  // unless one of them failed or a signal came first.
  void release() {
    for (auto& worker : workers) init_failed = init_failed || worker->failed();
    plan.start_ns = uv_hrtime();
    if (init_failed || signals > 0) {
      shared.release_workers(false);
      return;
    }
    uv_timer_start(&tick, on_tick, 1000, 1000);
    shared.release_workers(true);
  }

  // The VUs of second 0 are those running once every worker has scheduled its
  // first iterations; the ticks sample every later second.
  void sample_start() {
    if (start_sampled ||
        shared.started_workers.load(std::memory_order_acquire) < static_cast<int>(workers.size()))
      return;
    start_sampled = true;
    sample_vus(0);
  }

  void sample_vus(int64_t second) {
    auto vus = static_cast<double>(shared.busy_vus.load(std::memory_order_relaxed));
    auto vus_max = static_cast<double>(shared.initialized_vus.load(std::memory_order_relaxed));
    series.set_vus(second, vus, vus_max);
    if (gauges) {
      uint64_t now = uv_hrtime();
      gauges->push(metrics::builtin::kVus, 0, vus, now);
      gauges->push(metrics::builtin::kVusMax, 0, vus_max, now);
    }
    if (live_gauges) {
      uint64_t now = uv_hrtime();
      live_gauges->add(metrics::builtin::kVus, live_gauge_tags, vus, now);
      live_gauges->add(metrics::builtin::kVusMax, live_gauge_tags, vus_max, now);
      shared.live.publish(workers.size(), live_gauges->tracked());
    }
  }

  static void on_tick(uv_timer_t* timer) {
    auto* self = static_cast<Supervisor*>(timer->data);
    // Ticks fall on whole seconds; rounding keeps a tick due at 1 s but run a
    // hair early by the loop's millisecond clock from counting as second 0.
    int64_t second = std::llround(static_cast<double>(uv_hrtime() - self->plan.start_ns) / 1e9);
    for (const auto& stats : self->shared.take()) self->series.add(stats);
    self->sample_start();
    self->sample_vus(second);
    self->series.close_before(second - 2);  // workers report a second within one tick
    double elapsed = static_cast<double>(uv_hrtime() - self->plan.start_ns) / 1e9;
    if (self->progress) self->progress->update(elapsed);
    if (!self->aborted && self->signals == 0 && self->should_abort && self->should_abort(elapsed)) {
      self->aborted = true;
      for (auto& worker : self->workers) worker->request_stop(false);
    }
  }

  static void on_signal(uv_signal_t* handle, int signum) {
    auto* self = static_cast<Supervisor*>(handle->data);
    ++self->signals;
    bool hard = self->signals > 1;
    if (!hard) {
      self->interrupt_reason = signum == SIGINT ? "SIGINT" : "SIGTERM";
      fprintf(stderr, "\n  %s: stopping gracefully (send it again to stop at once)\n",
              self->interrupt_reason.c_str());
    }
    for (auto& worker : self->workers) worker->request_stop(hard);
  }
};

}  // namespace

TestRun::TestRun(TestRunConfig config) : config_(std::move(config)) {}
TestRun::~TestRun() = default;

void TestRun::prepare() {
  plan_.source = config_.source;
  plan_.samples = config_.samples;
  plan_.user_agent = std::string("lueng/") + kVersion;
  if (!plan_.source.random_seed_fixed) plan_.source.random_seed = os_random_seed();
  bindings::ScriptState init(plan_.source);
  bindings::allow_metric_creation(init.L(), plan_.catalog);
  init.load();
  // What lueng.random_seed() chose holds for every state of the run.
  plan_.source.random_seed = init.random_seed();
  plan_.source.random_seed_fixed = init.random_seed_fixed();

  lua_State* L = init.L();
  lua_getglobal(L, "options");
  if (!lua_isnil(L, -1)) {
    if (!lua_istable(L, -1)) throw ConfigError(plan_.source.path + ": options must be a table");
    std::string error;
    if (!bindings::lua_to_json(L, -1, options_json_, &error))
      throw ConfigError(plan_.source.path + ": options: " + error);
  }
  lua_pop(L, 1);
  rapidjson::Document options;
  options.Parse<rapidjson::kParseFullPrecisionFlag>(options_json_.c_str());
  for (const std::string& warning : unknown_option_warnings(options))
    fprintf(stderr, "WARN %s: %s\n", plan_.source.path.c_str(), warning.c_str());
  plan_.http = read_http_options(options);
  if (plan_.http.user_agent) plan_.user_agent = *plan_.http.user_agent;

  http::TlsOptions tls = resolve_tls_options(options);
  if (config_.insecure_skip_tls_verify) tls.insecure_skip_verify = true;
  try {
    plan_.tls = std::make_shared<const http::TlsMaterial>(std::move(tls));
  } catch (const http::TlsConfigError& error) {
    throw ConfigError(error.what());
  }

  KeyValues test_tags = resolve_test_tags(options, config_.tags);
  for (ScenarioConfig& config : resolve_scenarios(options, config_.shortcuts)) {
    add_test_tags(config, test_tags);
    if (!init.has_function(config.exec)) {
      if (config.exec == "default")
        throw bindings::ScriptError(plan_.source.path +
                                    ": the script defines no function default()");
      throw ConfigError("options.scenarios." + config.name + ".exec: function '" + config.exec +
                        "' is not defined in " + plan_.source.path);
    }
    PlannedScenario& planned = plan_.scenarios.emplace_back();
    planned.kind = find_executor(config.executor);
    planned.config = std::move(config);
  }
  read_thresholds(options);
  has_setup_ = init.has_function("setup");
  has_teardown_ = init.has_function("teardown");

  // Every executor runs on every worker; only a test with fewer VUs than threads
  // (maxVUs for the arrival-rate executors, the highest stage for ramping-vus)
  // leaves some idle.
  int64_t total_vus = plan_.total_vus();
  int threads = config_.threads > 0
                    ? config_.threads
                    : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  plan_.workers = static_cast<int>(std::max<int64_t>(1, std::min<int64_t>(threads, total_vus)));
  if (plan_.workers < threads)
    workers_note_ =
        fmt::format("{} thread{} available, {} used: the test has {} VU{} in all", threads,
                    threads == 1 ? "" : "s", plan_.workers, total_vus, total_vus == 1 ? "" : "s");
  plan_.assign_vus();
}

void TestRun::read_thresholds(const rapidjson::Value& options) {
  if (!options.IsObject() || !options.HasMember("thresholds")) return;
  const metrics::MetricCatalog& catalog = plan_.catalog;
  auto lookup = [&catalog](std::string_view name) -> std::optional<metrics::MetricDef> {
    if (auto id = catalog.find(name)) return catalog.def(*id);
    return std::nullopt;
  };
  try {
    slos_ = thresholds::parse_thresholds(options["thresholds"], lookup, plan_.source.path,
                                         "options.thresholds");
  } catch (const thresholds::ThresholdError& error) {
    throw ConfigError(error.what());
  }
  // Sinks track every sub-metric a threshold selects from the first sample on,
  // and whatever abort_on_fail must see live (whole metrics too).
  for (size_t i = 0; i < slos_.size(); ++i) {
    const auto& slo = slos_[i];
    if (slo.selector.filter.empty() && !slo.abort_on_fail) continue;
    auto entry = std::make_pair(*catalog.find(slo.selector.metric), slo.selector.filter);
    auto it = std::find(plan_.tracked.begin(), plan_.tracked.end(), entry);
    if (it == plan_.tracked.end()) it = plan_.tracked.insert(plan_.tracked.end(), entry);
    if (slo.abort_on_fail)
      abort_watches_.emplace_back(i, static_cast<size_t>(it - plan_.tracked.begin()));
  }
}

const thresholds::SloDefinition* TestRun::check_abort(double elapsed) {
  if (abort_watches_.empty() || !aborted_by_.empty()) return nullptr;
  std::vector<metrics::MetricType> types;
  for (const auto& [metric, filter] : plan_.tracked)
    types.push_back(plan_.catalog.def(metric).type);
  std::vector<metrics::Aggregate> live = shared_.live.merged(types);
  for (const auto& [slo_index, tracked] : abort_watches_) {
    const thresholds::SloDefinition& slo = slos_[slo_index];
    if (elapsed < slo.delay_abort_eval || live[tracked].count == 0) continue;
    thresholds::SloResult result = thresholds::evaluate(slo, live[tracked], elapsed);
    if (result.status != thresholds::SloStatus::kFail &&
        result.status != thresholds::SloStatus::kCritical)
      continue;
    aborted_by_ = slo.where;
    fprintf(stderr, "\n  abort_on_fail: %s missed %s after %.0fs (%s=%s): stopping gracefully\n",
            slo.selector.text.c_str(), slo.threshold.text.c_str(), elapsed,
            slo.threshold.aggregation_text().c_str(),
            output::format_slo_value(result, result.value).c_str());
    return &slo;
  }
  return nullptr;
}

std::vector<metrics::Aggregate> TestRun::tracked_in(const metrics::MetricSet& metrics) const {
  std::vector<metrics::Aggregate> out;
  for (const auto& [id, filter] : plan_.tracked) {
    const metrics::MetricData* metric = metrics.find(plan_.catalog.def(id).name);
    if (!metric)
      out.emplace_back();
    else if (filter.empty())
      out.push_back(metric->total);
    else
      out.push_back(metrics.submetric(*metric, filter));
  }
  return out;
}

output::RunResult TestRun::describe() const {
  output::RunResult result;
  result.lueng_version = kVersion;
  result.script = plan_.source.path;
  char host[256] = "";
  gethostname(host, sizeof host - 1);
  result.host = host;
  result.options_json = options_json_;
  result.workers = plan_.workers;
  result.max_vus = plan_.max_vus;
  // A seed left to chance is drawn again by the next prepare(): not worth showing.
  if (plan_.source.random_seed_fixed) result.random_seed = plan_.source.random_seed;
  for (const auto& s : plan_.scenarios) result.scenarios.push_back(summarize(s));
  result.metrics = metrics::MetricSet(plan_.catalog);

  return result;
}

output::RunResult TestRun::execute() {
  output::RunResult result = describe();
  result.random_seed = plan_.source.random_seed;
  if (plan_.samples) plan_.samples->start(plan_.catalog);
  if (has_setup_) plan_.setup_json = Worker::call_function(plan_, "setup", "", result.metrics);

  run_workers(result);

  if (has_teardown_) {
    try {
      Worker::call_function(plan_, "teardown", plan_.setup_json, result.metrics);
    } catch (const bindings::ScriptError& error) {
      teardown_error_ = error.what();
      std::string_view message = teardown_error_;
      if (message.starts_with("teardown() failed: ")) message.remove_prefix(19);
      shared_.errors.report(std::string(message), "teardown");
    }
  }
  shared_.errors.print_repeats();
  result.script_errors = shared_.errors.counts();
  result.slo = thresholds::evaluate_all(slos_, result.metrics, result.duration_seconds,
                                        config_.strict, aborted_by_);
  output::apply_script_errors(result.slo, output::script_error_totals(result));
  return result;
}

void TestRun::run_workers(output::RunResult& result) {
  std::vector<std::unique_ptr<Worker>> workers;
  for (int i = 0; i < plan_.workers; ++i)
    workers.push_back(std::make_unique<Worker>(i, plan_, shared_));
  std::optional<ProgressView> progress;
  if (config_.progress) progress.emplace(plan_, isatty(STDERR_FILENO) != 0);
  Supervisor supervisor(shared_, workers, plan_, std::move(progress));
  if (plan_.samples) {
    supervisor.gauges = plan_.samples->open_channel();
    supervisor.gauges->define_tags(0, "");
  }
  std::optional<metrics::Sink> live_gauges;
  if (!abort_watches_.empty()) {
    shared_.live.resize(workers.size() + 1, plan_.tracked.size());
    live_gauges.emplace(plan_.catalog);
    for (const auto& [metric, filter] : plan_.tracked) live_gauges->track(metric, filter);
    supervisor.live_gauges = &*live_gauges;
    supervisor.live_gauge_tags = live_gauges->intern("");
    shared_.live.set_setup(tracked_in(result.metrics));
    supervisor.should_abort = [this](double elapsed) { return check_abort(elapsed) != nullptr; };
  }
  supervisor.run();
  for (auto& worker : workers) worker->join();
  if (supervisor.init_failed) {
    for (auto& worker : workers)
      if (worker->failed()) throw bindings::ScriptError(worker->failure());
  }

  result.clock_start_ns = plan_.start_ns;
  result.start_unix_ms =
      unix_ms_now() - static_cast<int64_t>((uv_hrtime() - plan_.start_ns) / 1'000'000);
  result.end_unix_ms = unix_ms_now();
  result.duration_seconds = static_cast<double>(uv_hrtime() - plan_.start_ns) / 1e9;
  result.interrupted = supervisor.signals > 0;
  result.interrupt_reason = supervisor.interrupt_reason;
  result.time_series = supervisor.series.finish();

  for (auto& worker : workers) {
    result.metrics.merge(worker->sink());
    result.overflowed_tag_sets += worker->sink().overflowed_tag_sets();
  }
  // The VU gauges come from the per-second samples of the main thread.
  metrics::Aggregate vus, vus_max;
  uint64_t end = uv_hrtime();
  for (const auto& point : result.time_series)
    vus.add(metrics::MetricType::kGauge, point.vus,
            plan_.start_ns + static_cast<uint64_t>(point.second) * 1'000'000'000);
  if (result.time_series.empty()) vus.add(metrics::MetricType::kGauge, 0, end);
  vus_max.add(metrics::MetricType::kGauge,
              static_cast<double>(shared_.initialized_vus.load(std::memory_order_relaxed)), end);
  result.metrics.add(plan_.catalog.def(metrics::builtin::kVus), "", vus);
  result.metrics.add(plan_.catalog.def(metrics::builtin::kVusMax), "", vus_max);
}

}  // namespace lueng::exec
