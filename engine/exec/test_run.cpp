#include "engine/exec/test_run.hpp"

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <csignal>
#include <cstdio>
#include <functional>
#include <optional>
#include <stdexcept>
#include <thread>

#include <fmt/format.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "engine/common/exit_codes.hpp"
#include "engine/common/json_parse.hpp"
#include "engine/common/random.hpp"
#include "engine/common/text_file.hpp"
#include "engine/common/version.hpp"
#include "engine/exec/phase_watch.hpp"
#include "engine/exec/progress.hpp"
#include "engine/exec/scenario_order.hpp"
#include "engine/exec/script_checksum.hpp"
#include "engine/exec/script_hints.hpp"
#include "engine/exec/supervisor.hpp"
#include "engine/exec/test_status.hpp"
#include "engine/exec/time_series.hpp"
#include "engine/exec/worker.hpp"
#include "engine/metrics/sink.hpp"
#include "engine/metrics/tags.hpp"
#include "engine/output/sample_writer.hpp"
#include "engine/result/measured.hpp"
#include "engine/result/slo_series.hpp"
#include "engine/thresholds/definitions.hpp"
#include "engine/thresholds/evaluate.hpp"
#include "engine/thresholds/slo_value.hpp"

namespace lueng::exec {

namespace {

constexpr const char* kHungMessage =
    "a VU was still running when its scenario should have ended (Lua code that never waits, or "
    "a blocking call); the run ended without its worker, whose numbers are from its last snapshot";

int64_t unix_ms_now() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

result::ScenarioSummary summarize(const PlannedScenario& s) {
  const ScenarioConfig& c = s.config;
  result::ScenarioSummary summary;
  summary.name = c.name;
  summary.executor = c.executor;
  summary.description = c.executor_config->describe();
  summary.max_duration = c.executor_config->max_duration();
  summary.exec = c.exec;
  summary.start_time = c.start_time;
  summary.graceful_stop = c.graceful_stop;
  summary.tags = c.tags;
  c.executor_config->summarize(summary);  // its load: VUs, iterations, shape
  summary.iterations_total = c.executor_config->total_iterations();
  summary.breaking_p95_ms = c.breaking_p95_ms;
  summary.breaking_error_rate = c.breaking_error_rate;
  return summary;
}

// The script's summary options, checked (ConfigError), with the command line's
// over them: the options' JSON as the run keeps it (the result file's options,
// lueng.test.options), which the summary is rendered from.
std::string consolidate_summary_options(const rapidjson::Value& options, std::string json,
                                        const SummaryOptions& flags) {
  SummaryOptions chosen = read_summary_options(options);
  if (flags.trend_stats) chosen.trend_stats = flags.trend_stats;
  if (flags.time_unit) chosen.time_unit = flags.time_unit;
  if (!chosen.trend_stats && !chosen.time_unit) return json;  // as the script wrote it
  rapidjson::Document copy;
  copy.CopyFrom(options, copy.GetAllocator());
  store_summary_options(copy, chosen);
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
  copy.Accept(writer);
  return std::string(buffer.GetString(), buffer.GetSize());
}

}  // namespace

TestRun::TestRun(TestRunConfig config) : config_(std::move(config)) {}
TestRun::~TestRun() = default;

void TestRun::prepare() {
  if (!config_.runtime) throw std::logic_error("TestRun: no script runtime");
  test_status().reset();
  plan_.runtime = config_.runtime;
  plan_.source = config_.source;
  plan_.samples = config_.samples;
  plan_.segment = config_.segment;
  script_sha256_ = file_sha256_hex(plan_.source.path);
  plan_.user_agent = std::string("lueng/") + kVersion;
  if (!plan_.source.random_seed_fixed) plan_.source.random_seed = os_random_seed();
  // Init code may loop or wait; under `lueng run` a signal stops it (exit 105).
  // Held by the phase's thread too, which may outlive this call if it is given up on.
  auto loaded = std::make_shared<std::unique_ptr<Script>>();
  std::shared_ptr<const ScriptRuntime> runtime = plan_.runtime;
  auto load = [loaded, runtime, source = plan_.source, catalog = &plan_.catalog] {
    *loaded = runtime->load_defining_metrics(source, *catalog);
  };
  auto interrupt = [runtime](pthread_t thread) { runtime->interrupt(thread); };
  if (watch_phase("the init code", config_.signals, load, interrupt) == PhaseEnd::kAbandoned) {
    abandoned_ = true;
    throw ScriptInterrupted();
  }
  const Script& init = **loaded;
  // What lueng.random_seed() chose holds for every state of the run.
  plan_.source.random_seed = init.random_seed();
  plan_.source.random_seed_fixed = init.random_seed_fixed();

  if (std::optional<std::string> options_text = init.options_json())
    options_json_ = std::move(*options_text);
  else if (std::string hint = local_options_hint(plan_.source.path); !hint.empty())
    fprintf(stderr, "WARN %s: %s\n", plan_.source.path.c_str(), hint.c_str());
  ConsolidatedOptions consolidated = consolidate_levels();
  try {
    read_options(consolidated.options, init);
  } catch (const ConfigError& error) {
    throw ConfigError(with_option_sources(error.what(), consolidated.sources));
  }
  has_setup_ = init.has_function("setup") && !phases_.no_setup;
  has_teardown_ = init.has_function("teardown") && !phases_.no_teardown;
  has_summary_hook_ = init.has_function("handleSummary");

  // Every executor runs on every worker; only a test with fewer VUs than threads
  // (the most each executor may use: maxVUs of an open model, the highest stage of
  // a ramp) leaves some idle.
  int64_t total_vus = plan_.total_vus();
  int threads = config_.threads > 0
                    ? config_.threads
                    : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  plan_.workers = static_cast<int>(std::max<int64_t>(1, std::min<int64_t>(threads, total_vus)));
  if (plan_.workers < threads)
    workers_note_ = fmt::format("{} thread{} available, {} used: the {} has {} VU{} in all",
                                threads, threads == 1 ? "" : "s", plan_.workers,
                                plan_.instance() ? "execution segment" : "test", total_vus,
                                total_vus == 1 ? "" : "s");
  plan_.assign_vus();
}

ConsolidatedOptions TestRun::consolidate_levels() {
  rapidjson::Document script;
  // The script layer wrote it, within kMaxJsonDepth; an empty text stays null.
  if (!options_json_.empty()) parse_json_bounded(options_json_, script, nullptr);
  for (const std::string& warning : unknown_option_warnings(script))
    fprintf(stderr, "WARN %s: %s\n", plan_.source.path.c_str(), warning.c_str());
  for (const std::string& warning : bare_number_duration_warnings(script))
    fprintf(stderr, "WARN %s: %s\n", plan_.source.path.c_str(), warning.c_str());
  const OptionLevel& file = config_.config_file;
  if (file.json == "null" && config_.environment.json == "null") {
    ConsolidatedOptions alone;
    alone.options.CopyFrom(script, alone.options.GetAllocator());
    return alone;
  }
  rapidjson::Document file_options;
  parse_json_bounded(file.json, file_options, nullptr);
  for (const std::string& warning : unknown_option_warnings(file_options))
    fprintf(stderr, "WARN %s: %s\n", file.source.c_str(), warning.c_str());
  ConsolidatedOptions consolidated = consolidate_options(
      {file, OptionLevel{"script", options_json_, {}, ""}, config_.environment});
  for (const std::string& warning : consolidated.warnings)
    fprintf(stderr, "WARN %s: %s\n", plan_.source.path.c_str(), warning.c_str());
  // What the test ran with, as k6's consolidated options: lueng.test.options and
  // the result file show it.
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
  consolidated.options.Accept(writer);
  options_json_ = buffer.GetString();
  return consolidated;
}

void TestRun::read_options(const rapidjson::Value& options, const Script& init) {
  phases_ = read_phase_options(options);
  options_json_ = consolidate_summary_options(options, options_json_, config_.summary);
  plan_.min_iteration_ns =
      static_cast<uint64_t>(std::llround(read_min_iteration_duration(options) * 1e9));
  plan_.options_json = options_json_;  // with the summary options as consolidated
  plan_.http = read_http_options(options);
  if (plan_.http.user_agent) plan_.user_agent = *plan_.http.user_agent;
  if (config_.throw_errors) plan_.http.throw_errors = true;
  if (config_.rps > 0) plan_.http.rps = config_.rps;
  if (config_.blacklist_ips) plan_.http.block_lists.ips = *config_.blacklist_ips;
  if (config_.block_hostnames) plan_.http.block_lists.hosts = *config_.block_hostnames;
  plan_.http.local_ips = config_.local_ips;
  plan_.http.dns = resolve_dns(read_dns_option(options), config_.dns);
  std::vector<std::string> tag_warnings;
  if (auto tags = read_system_tags(options, &tag_warnings)) plan_.system_tags = *tags;
  if (config_.system_tags) plan_.system_tags = *config_.system_tags;
  for (const std::string& warning : tag_warnings)
    fprintf(stderr, "WARN %s: %s\n", plan_.source.path.c_str(), warning.c_str());
  if (config_.no_connection_reuse) plan_.http.no_connection_reuse = true;
  if (config_.no_vu_connection_reuse) plan_.http.no_vu_connection_reuse = true;
  if (config_.http_debug) plan_.http.http_debug = *config_.http_debug;

  http::TlsOptions tls = resolve_tls_options(options);
  if (config_.insecure_skip_tls_verify) tls.insecure_skip_verify = true;
  try {
    plan_.tls = std::make_shared<const http::TlsMaterial>(std::move(tls));
  } catch (const http::TlsConfigError& error) {
    throw ConfigError(error.what());
  }

  monitor_options_ = read_monitor_options(options, config_.monitor_urls);
  if (monitor_options_.enabled())
    monitor_metrics_ = define_monitor_metrics(monitor_options_, plan_.catalog);

  KeyValues test_tags = resolve_test_tags(options, config_.tags);
  test_tag_set_ = metrics::encode_tags(test_tags);
  std::vector<std::string> scenario_warnings;
  std::vector<ScenarioConfig> scenarios =
      resolve_scenarios(options, config_.shortcuts, &scenario_warnings);
  for (const std::string& warning : scenario_warnings)
    fprintf(stderr, "WARN %s: %s\n", plan_.source.path.c_str(), warning.c_str());
  order_as_written(scenarios, read_text_file(plan_.source.path).value_or(""));
  for (ScenarioConfig& config : scenarios) {
    add_test_tags(config, test_tags);
    if (!init.has_function(config.exec)) {
      std::string hint =
          missing_function_hint(plan_.source.path, config.exec, config_.shortcuts.any());
      if (!hint.empty()) hint = " (" + hint + ")";
      if (config.exec == "default")
        throw ScriptError(plan_.source.path + ": the script defines no function default()" + hint);
      throw ConfigError("options.scenarios." + config.name + ".exec: function '" + config.exec +
                        "' is not defined in " + plan_.source.path + hint);
    }
    plan_.scenarios.emplace_back().config = std::move(config);
  }
  read_thresholds(options);
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
    if (slo.window > 0) {  // judged on the time series, which every run keeps
      if (slo.abort_on_fail) window_watches_.push_back(i);
      continue;
    }
    if (slo.selector.filter.empty() && !slo.abort_on_fail) continue;
    auto entry = std::make_pair(*catalog.find(slo.selector.metric), slo.selector.filter);
    auto it = std::find(plan_.tracked.begin(), plan_.tracked.end(), entry);
    if (it == plan_.tracked.end()) it = plan_.tracked.insert(plan_.tracked.end(), entry);
    if (slo.abort_on_fail)
      abort_watches_.emplace_back(i, static_cast<size_t>(it - plan_.tracked.begin()));
  }
}

const thresholds::SloDefinition* TestRun::check_abort(
    double elapsed, const std::vector<result::TimePoint>& closed) {
  if (!aborted_by_.empty()) return nullptr;
  if (const auto* slo = check_window_abort(elapsed, closed)) return slo;
  if (abort_watches_.empty()) return nullptr;
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
            thresholds::format_slo_value(result, result.value).c_str());
    return &slo;
  }
  return nullptr;
}

const thresholds::SloDefinition* TestRun::check_window_abort(
    double elapsed, const std::vector<result::TimePoint>& closed) {
  for (size_t slo_index : window_watches_) {
    const thresholds::SloDefinition& slo = slos_[slo_index];
    if (elapsed < slo.delay_abort_eval) continue;
    std::vector<thresholds::SecondValue> seconds = result::seconds_of(slo.selector.metric, closed);
    // A few seconds are not a window yet: only the end of the run judges a run
    // shorter than one.
    if (!thresholds::has_full_window(slo, seconds)) continue;
    thresholds::SloResult result = thresholds::evaluate_windows(
        slo, seconds, elapsed, static_cast<int64_t>(std::ceil(slo.delay_abort_eval)));
    if ((result.status != thresholds::SloStatus::kFail &&
         result.status != thresholds::SloStatus::kCritical) ||
        !result.worst_window)
      continue;
    aborted_by_ = slo.where;
    fprintf(stderr,
            "\n  abort_on_fail: %s missed %s in the %llds window %llds-%llds (%s=%s): stopping "
            "gracefully\n",
            slo.selector.text.c_str(), slo.threshold.text.c_str(),
            static_cast<long long>(slo.window), static_cast<long long>(result.worst_window->from),
            static_cast<long long>(result.worst_window->to),
            slo.threshold.aggregation_text().c_str(),
            thresholds::format_slo_value(result, result.value).c_str());
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

result::RunResult TestRun::describe() const {
  result::RunResult result;
  result.lueng_version = kVersion;
  result.script = plan_.source.path;
  result.module_paths = plan_.source.module_dirs;
  for (const auto& [key, value] : plan_.source.env)
    if (key == "BASE_URL") result.base_url = value;  // the last -e wins, as in ENV
  char host[256] = "";
  gethostname(host, sizeof host - 1);
  result.host = host;
  result.options_json = options_json_;
  result.workers = plan_.workers;
  result.max_vus = plan_.max_vus;
  // A seed left to chance is drawn again by the next prepare(): not worth showing.
  if (plan_.source.random_seed_fixed) result.random_seed = plan_.source.random_seed;
  result.execution_segment = config_.segment_info;
  result.script_sha256 = script_sha256_;
  result.start_at_unix_ms = config_.start_at_unix_ms;
  for (const auto& s : plan_.scenarios) {
    result.scenarios.push_back(summarize(s));
    if (plan_.instance())
      result.scenarios.back().segment_share =
          s.config.executor_config->describe_share({0, 1, plan_.instance()});
  }
  result.metrics = metrics::MetricSet(plan_.catalog);

  return result;
}

bool TestRun::call_watched(const char* name, double timeout_seconds, const std::string& data_json,
                           std::string* returned, result::RunResult& result) {
  // The call's thread holds its own pieces: it may outlive this function when a
  // signal stops it and it does not end (a loop in a JIT trace).
  auto stop = std::make_shared<CallStop>();
  auto recorded = std::make_shared<metrics::MetricSet>(plan_.catalog);
  auto value = std::make_shared<std::string>();
  const RunPlan* plan = &plan_;
  std::string function = name;
  auto call = [=] {
    *value =
        Worker::call_function(*plan, function, data_json, *recorded, timeout_seconds, stop.get());
  };
  auto stop_now = [stop, runtime = plan_.runtime](pthread_t thread) {
    stop->stop();
    runtime->interrupt(thread);
  };
  std::string what = std::string(name) + "()";
  try {
    if (watch_phase(what.c_str(), config_.signals, call, stop_now) == PhaseEnd::kAbandoned) {
      abandoned_ = true;
      result.interrupted = true;
      return false;
    }
  } catch (const ScriptInterrupted&) {
    result.metrics.merge(*recorded);
    result.interrupted = true;
    return false;
  } catch (...) {
    result.metrics.merge(*recorded);
    throw;
  }
  result.metrics.merge(*recorded);
  if (returned) *returned = *value;
  return true;
}

std::optional<std::string> TestRun::call_summary_hook(const std::string& data_json) {
  result::RunResult scratch;  // what the hook measures is not part of the test
  scratch.metrics = metrics::MetricSet(plan_.catalog);
  std::string returned;
  if (!call_watched("handleSummary", phases_.summary_timeout, data_json, &returned, scratch))
    return std::nullopt;
  return returned;
}

result::RunResult TestRun::execute() {
  result::RunResult result = describe();
  result.random_seed = plan_.source.random_seed;
  if (plan_.samples) plan_.samples->start(plan_.catalog);
  // A signal, an error or lueng.test.abort() in setup() ends the run there: no
  // load, no teardown() (setup's data is incomplete).
  bool go_on =
      !has_setup_ || call_phase("setup", phases_.setup_timeout, "", &plan_.setup_json, result);
  if (go_on && test_status().aborted()) go_on = false;
  if (go_on)
    run_workers(result);
  else
    result.start_unix_ms = result.end_unix_ms = unix_ms_now();  // the load's, had it run

  if (go_on && has_teardown_ && !abandoned_)
    call_phase("teardown", phases_.teardown_timeout, plan_.setup_json, nullptr, result);
  if (result.interrupted && result.interrupt_reason.empty() && config_.signals)
    result.interrupt_reason = config_.signals->reason();
  shared_.errors.print_repeats();
  result.script_errors = shared_.errors.counts();
  result.failures = shared_.failures.rows();
  result.failures_unlisted = shared_.failures.unlisted();
  result.slo =
      thresholds::evaluate_all(slos_, result.metrics, result.duration_seconds, config_.strict,
                               aborted_by_, result::seconds_in(result.time_series));
  result::apply_measurement_rules(result.slo, result);
  if (hung_) {
    result.slo.verdict = std::string("SCRIPT ERROR: ") + kHungMessage;
    result.slo.exit_code = kExitScriptError;
  }
  if (!phase_error_.empty()) {
    result.slo.verdict = "SCRIPT ERROR: " + phase_error_;
    result.slo.exit_code = phase_exit_code_;
  }
  apply_test_status(result.slo);
  return result;
}

// call_watched() for setup() and teardown(): a failure is no exception but the
// run's verdict, so that every output is still written and says why.
bool TestRun::call_phase(const char* name, double timeout_seconds, const std::string& data_json,
                         std::string* returned, result::RunResult& result) {
  try {
    return call_watched(name, timeout_seconds, data_json, returned, result);
  } catch (const ScriptError& error) {
    if (const auto* timeout = dynamic_cast<const PhaseTimeout*>(&error))
      phase_exit_code_ = timeout->exit_code;
    phase_error_ = error.what();
    std::string_view message = phase_error_;
    std::string failed = std::string(name) + "() failed: ";
    if (message.starts_with(failed)) message.remove_prefix(failed.size());
    shared_.errors.report(std::string(message), name);
    return false;
  }
}

// lueng.test.abort() and lueng.test.fail() decide the exit status as in k6: an
// abort ends with 108, a test marked failed with 110, over the SLOs' 1 and 2
// (k6's 110 wins over its 99 too); a script error (107) keeps its status.
void TestRun::apply_test_status(thresholds::SloReport& slo) const {
  const TestStatus& status = test_status();
  if (status.aborted()) {
    std::string message = status.abort_message();
    slo.verdict = "ABORTED by lueng.test.abort()" + (message.empty() ? "" : ": " + message);
    slo.exit_code = kExitScriptAborted;
  } else if (status.failed() && slo.exit_code != kExitScriptError) {
    std::string message = status.fail_message();
    slo.verdict = "FAILED by lueng.test.fail()" + (message.empty() ? "" : ": " + message);
    slo.exit_code = kExitMarkedAsFailed;
  }
}

void TestRun::run_workers(result::RunResult& result) {
  std::vector<std::unique_ptr<Worker>> workers;
  for (int i = 0; i < plan_.workers; ++i)
    workers.push_back(std::make_unique<Worker>(i, plan_, shared_));
  shared_.snapshots.resize(workers.size());
  std::optional<ProgressView> progress;
  if (config_.progress) progress.emplace(plan_, isatty(STDERR_FILENO) != 0);
  Supervisor supervisor(shared_, workers, plan_, config_.signals, std::move(progress));
  supervisor.deadline_seconds = 0;
  for (const auto& s : plan_.scenarios)
    supervisor.deadline_seconds = std::max(
        supervisor.deadline_seconds,
        s.config.start_time + s.config.executor_config->max_duration() + s.config.graceful_stop);
  if (plan_.samples) {
    supervisor.gauges = plan_.samples->open_channel();
    supervisor.gauges->define_tags(0, test_tag_set_);
  }
  std::optional<metrics::Sink> live_gauges;
  if (!abort_watches_.empty()) {
    shared_.live.resize(workers.size() + 1, plan_.tracked.size());
    live_gauges.emplace(plan_.catalog);
    for (const auto& [metric, filter] : plan_.tracked) live_gauges->track(metric, filter);
    supervisor.live_gauges = &*live_gauges;
    supervisor.live_gauge_tags = live_gauges->intern(test_tag_set_);
    shared_.live.set_setup(tracked_in(result.metrics));
  }
  if (!abort_watches_.empty() || !window_watches_.empty())
    supervisor.should_abort = [this, &supervisor](double elapsed) {
      return check_abort(elapsed, supervisor.series().closed()) != nullptr;
    };
  if (config_.checkpoint && config_.checkpoint_seconds > 0) {
    supervisor.checkpoint_seconds = config_.checkpoint_seconds;
    supervisor.checkpoint = [&] { config_.checkpoint(partial_result(result, supervisor)); };
  }
  if (config_.live)
    supervisor.each_second = [&] { config_.live(partial_result(result, supervisor)); };
  supervisor.side_loop = config_.side_loop;
  supervisor.stop_after_seconds = config_.max_test_seconds;
  if (config_.start_at_unix_ms) supervisor.start_at_unix_ms = *config_.start_at_unix_ms;
  if (monitor_metrics_) {
    monitor_ =
        std::make_unique<TargetMonitor>(monitor_options_, *monitor_metrics_, plan_.user_agent);
    supervisor.on_start = [this] { monitor_->start(plan_.start_ns); };
  }
  supervisor.run();
  if (monitor_) monitor_->stop();
  if (supervisor.init_failed() && supervisor.signals() == 0) {
    for (auto& worker : workers)
      if (worker->failed()) throw ScriptError(worker->failure());
  }

  result.clock_start_ns = plan_.start_ns;
  result.start_unix_ms =
      unix_ms_now() - static_cast<int64_t>((uv_hrtime() - plan_.start_ns) / 1'000'000);
  result.end_unix_ms = unix_ms_now();
  result.duration_seconds = static_cast<double>(uv_hrtime() - plan_.start_ns) / 1e9;
  result.interrupted = supervisor.signals() > 0;
  result.interrupt_reason = supervisor.interrupt_reason();
  result.time_series = supervisor.series().finish();
  supervisor.series().fill_details(result, shared_.endpoints.keys(), plan_.catalog);
  add_iteration_counts(result);

  for (size_t i = 0; i < workers.size(); ++i) {
    if (std::find(supervisor.abandoned().begin(), supervisor.abandoned().end(), i) !=
        supervisor.abandoned().end()) {
      // Its numbers as of its last snapshot; the thread runs on until the process
      // exits, so the Worker it uses must never be destroyed.
      shared_.snapshots.merge_into(i, result.metrics, result.overflowed_tag_sets);
      workers[i]->abandon();
      (void)workers[i].release();
      abandoned_ = true;
      continue;
    }
    result.metrics.merge(workers[i]->sink());
    result.overflowed_tag_sets += workers[i]->sink().overflowed_tag_sets();
  }
  if (abandoned_ && !result.interrupted) {
    hung_ = true;
    shared_.errors.report(kHungMessage, "iteration");
  }
  add_vu_gauges(result);
  if (monitor_) monitor_->add_to(result);
}

// How each scenario's iterations ended so far: its counters, shared by the workers.
void TestRun::add_iteration_counts(result::RunResult& result) const {
  for (size_t i = 0; i < plan_.scenarios.size(); ++i) {
    const ScenarioShared& counts = *plan_.scenarios[i].shared;
    result.scenarios[i].iterations_completed = counts.iterations_done.load();
    result.scenarios[i].iterations_interrupted = counts.iterations_interrupted.load();
  }
}

void TestRun::add_vu_gauges(result::RunResult& result) const {
  // The VU gauges come from the per-second samples of the main thread.
  metrics::Aggregate vus, vus_max;
  uint64_t end = uv_hrtime();
  for (const auto& point : result.time_series) {
    uint64_t at = plan_.start_ns + static_cast<uint64_t>(point.second) * 1'000'000'000;
    vus.add(metrics::MetricType::kGauge, point.vus, at);
    // Its course too, not only its end: an arrival-rate scenario adds VUs as it goes.
    vus_max.add(metrics::MetricType::kGauge, point.vus_max, at);
  }
  if (result.time_series.empty()) vus.add(metrics::MetricType::kGauge, 0, end);
  vus_max.add(metrics::MetricType::kGauge,
              static_cast<double>(shared_.initialized_vus.load(std::memory_order_relaxed)), end);
  result.metrics.add(plan_.catalog.def(metrics::builtin::kVus), test_tag_set_, vus);
  result.metrics.add(plan_.catalog.def(metrics::builtin::kVusMax), test_tag_set_, vus_max);
}

result::RunResult TestRun::partial_result(const result::RunResult& before_load,
                                          Supervisor& supervisor) {
  result::RunResult partial = before_load;  // setup()'s metrics and the run's description
  partial.partial = true;
  partial.clock_start_ns = plan_.start_ns;
  partial.duration_seconds = static_cast<double>(uv_hrtime() - plan_.start_ns) / 1e9;
  partial.end_unix_ms = unix_ms_now();
  partial.start_unix_ms =
      partial.end_unix_ms - static_cast<int64_t>(partial.duration_seconds * 1000);
  partial.time_series = supervisor.series().closed();
  supervisor.series().fill_details(partial, shared_.endpoints.keys(), plan_.catalog);
  for (int i = 0; i < plan_.workers; ++i)
    shared_.snapshots.merge_into(static_cast<size_t>(i), partial.metrics,
                                 partial.overflowed_tag_sets);
  add_vu_gauges(partial);
  add_iteration_counts(partial);
  if (monitor_) monitor_->add_to(partial);
  partial.script_errors = shared_.errors.counts();
  partial.failures = shared_.failures.rows();
  partial.failures_unlisted = shared_.failures.unlisted();
  partial.slo =
      thresholds::evaluate_all(slos_, partial.metrics, partial.duration_seconds, config_.strict,
                               aborted_by_, result::seconds_in(partial.time_series));
  result::apply_measurement_rules(partial.slo, partial);
  return partial;
}

}  // namespace lueng::exec
