#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <uv.h>

#include "engine/exec/dns_options.hpp"
#include "engine/exec/http_options.hpp"
#include "engine/exec/monitor_options.hpp"
#include "engine/exec/option_layers.hpp"
#include "engine/exec/options.hpp"
#include "engine/exec/phase_options.hpp"
#include "engine/exec/run_plan.hpp"
#include "engine/exec/script.hpp"
#include "engine/exec/stop_signals.hpp"
#include "engine/exec/summary_options.hpp"
#include "engine/exec/system_tags.hpp"
#include "engine/exec/target_monitor.hpp"
#include "engine/http/block_lists.hpp"
#include "engine/result/run_result.hpp"
#include "engine/thresholds/slo.hpp"

namespace lueng::exec {

struct TestRunConfig {
  // The script runtime (engine/cli gives bindings::lua_runtime()) and the script.
  std::shared_ptr<const ScriptRuntime> runtime;
  ScriptSource source;
  Shortcuts shortcuts;
  int threads = 0;  // 0: one worker per core
  bool progress = true;
  bool strict = false;                    // a WARNING SLO fails the run
  bool insecure_skip_tls_verify = false;  // --insecure-skip-tls-verify, wins over the script
  KeyValues tags;                         // --tag, wins over options.tags
  // The levels of options below and above the script's, as k6 stacks them
  // (option_layers.hpp): a config file's (--config; name "file") and the K6_*
  // variables' (name "env"). Their JSON is null when there are none.
  OptionLevel config_file{"file", "null", {}, ""};
  OptionLevel environment{"env", "null", {}, ""};
  // --summary-trend-stats, --summary-time-unit (checked): win over the script's.
  SummaryOptions summary;
  DnsOption dns;  // --dns: the fields it sets win over the script's options.dns
  std::optional<SystemTags> system_tags;  // --system-tags: wins over the script's
  // --blacklist-ip, --block-hostnames: replace the script's lists.
  std::optional<std::vector<http::IpNet>> blacklist_ips;
  std::optional<http::HostnamePatterns> block_hostnames;
  http::IpPool local_ips;               // --local-ips or K6_LOCAL_IPS
  int64_t rps = 0;                      // --rps: rps (0: the script's)
  bool throw_errors = false;            // --throw: throw = true
  bool no_connection_reuse = false;     // --no-connection-reuse: noConnectionReuse = true
  bool no_vu_connection_reuse = false;  // --no-vu-connection-reuse: noVUConnectionReuse = true
  std::optional<HttpDebug> http_debug;  // --http-debug: wins over httpDebug
  // Receives every sample when an output streams them; the caller stops it.
  output::SampleWriter* samples = nullptr;
  // SIGINT and SIGTERM, watched in every phase of `lueng run`; none for inspect.
  StopSignals* signals = nullptr;
  // Called every checkpoint_seconds of the load with the result so far (partial),
  // the callback's to complete: the result file written during a long run.
  std::function<void(result::RunResult partial)> checkpoint;
  double checkpoint_seconds = 60;
  // The live dashboard: `live` is called every second of the load with the
  // result so far (partial, as for checkpoint), and `side_loop`, a libuv loop of
  // the caller's, is run by the main thread's loop during the load
  // (Supervisor::side_loop).
  std::function<void(result::RunResult partial)> live;
  uv_loop_t* side_loop = nullptr;
  // This process's execution segment (the whole test by default) and how the
  // command line gave it, for the result file (none for the whole test).
  ExecutionTuple segment;
  std::optional<result::SegmentInfo> segment_info;
  // --start-at: the load starts at this Unix time (ms), once the workers are ready.
  std::optional<int64_t> start_at_unix_ms;
  // The test ends after this many seconds, however long its scenarios are (0: as
  // long as they are). Set from LUENG_MAX_DURATION by `lueng run`.
  double max_test_seconds = 0;
  // --monitor URL: metrics endpoints of the target scraped besides options.monitor's.
  std::vector<std::string> monitor_urls;
};

// A whole `lueng run`: init code, setup(), the workers, teardown(), then the
// result model. Runs on the main thread; SIGINT/SIGTERM stop it gracefully
// (a second signal at once) and the result still comes back.
class TestRun {
 public:
  explicit TestRun(TestRunConfig config);
  ~TestRun();

  // Runs the script's init code and resolves its options and thresholds. Throws
  // ConfigError (exit 104) or ScriptError (exit 107).
  void prepare();
  // Everything else. An error in setup() (then no load and no teardown() run)
  // or in teardown() is the result's verdict and exit status (phase_error).
  result::RunResult execute();
  // What prepare() resolved (script, scenarios, VUs) as a result model with no
  // measurements yet: `lueng inspect` prints it, execute() fills it in.
  result::RunResult describe() const;

  // setup()'s or teardown()'s failure, "" when neither failed.
  const std::string& phase_error() const { return phase_error_; }
  // Whether the script defines handleSummary(data), the end-of-run hook.
  bool has_summary_hook() const { return has_summary_hook_; }
  // Calls handleSummary(data) with `data_json` (the result file) as its argument,
  // on a thread of its own as teardown() is, and returns what it returned as
  // JSON, or nullopt when a signal stopped it. Throws ScriptError when
  // it fails.
  std::optional<std::string> call_summary_hook(const std::string& data_json);
  // A phase or a worker did not stop when asked and was left running: the process
  // must end (after writing its outputs) without destroying this TestRun.
  bool abandoned() const { return abandoned_; }
  // Why fewer workers than threads run the test ("" when all of them do).
  const std::string& workers_note() const { return workers_note_; }
  const std::vector<thresholds::SloDefinition>& slos() const { return slos_; }
  // The system tags samples carry (systemTags, --system-tags), once prepared.
  const SystemTags& system_tags() const { return plan_.system_tags; }
  // A segmented run is one instance of a distributed test: `lueng merge` judges it.
  bool segmented() const { return config_.segment_info.has_value(); }
  // math.random's run seed, fixed or drawn, once prepare() has run: execute() uses it.
  uint64_t random_seed() const { return plan_.source.random_seed; }

 private:
  void run_workers(result::RunResult& result);
  // setup() or teardown() on a thread of its own, stopped by a signal: false
  // when it was (result marked interrupted). Throws ScriptError when it fails.
  bool call_watched(const char* name, double timeout_seconds, const std::string& data_json,
                    std::string* returned, result::RunResult& result);
  // The same, a failure kept as phase_error_ (false then too).
  bool call_phase(const char* name, double timeout_seconds, const std::string& data_json,
                  std::string* returned, result::RunResult& result);
  void apply_test_status(thresholds::SloReport& slo) const;
  void add_vu_gauges(result::RunResult& result) const;
  void add_iteration_counts(result::RunResult& result) const;
  result::RunResult partial_result(const result::RunResult& before_load,
                                   class Supervisor& supervisor);
  // The config file's, the script's and the environment's options stacked (the
  // command line comes in read_options), warning of what each level does not read.
  ConsolidatedOptions consolidate_levels();
  void read_options(const rapidjson::Value& options, const Script& init);
  void read_thresholds(const rapidjson::Value& options);

  TestRunConfig config_;
  RunPlan plan_;
  RunShared shared_;
  std::string options_json_ = "null";
  std::string script_sha256_;
  bool has_setup_ = false, has_teardown_ = false, has_summary_hook_ = false;
  std::string phase_error_;
  // The test-wide tags (options.tags, --tag) as a canonical tag set: what the VU
  // gauges carry, as k6's vus and vus_max samples do.
  std::string test_tag_set_;
  // The exit status phase_error_ gives: 107, or k6's 100 (101) past setupTimeout
  // (teardownTimeout).
  int phase_exit_code_ = 107;  // kExitScriptError
  PhaseOptions phases_;
  std::string workers_note_;
  bool abandoned_ = false;
  bool hung_ = false;  // a worker ran past the test's end without a signal
  std::vector<thresholds::SloDefinition> slos_;
  // abort_on_fail SLOs: index in slos_ and in plan_.tracked.
  std::vector<std::pair<size_t, size_t>> abort_watches_;
  // abort_on_fail SLOs with a window: index in slos_; checked on the closed seconds.
  std::vector<size_t> window_watches_;
  std::string aborted_by_;
  // options.monitor and --monitor; the monitor exists while the load runs.
  MonitorOptions monitor_options_;
  std::optional<MonitorMetrics> monitor_metrics_;
  std::unique_ptr<TargetMonitor> monitor_;

  // The aggregates of plan_.tracked in `metrics` (what setup() recorded).
  std::vector<metrics::Aggregate> tracked_in(const metrics::MetricSet& metrics) const;
  // The first abort_on_fail SLO missed after `elapsed` seconds, or none;
  // `closed`: the seconds of the time series closed so far.
  const thresholds::SloDefinition* check_abort(double elapsed,
                                               const std::vector<result::TimePoint>& closed);
  const thresholds::SloDefinition* check_window_abort(double elapsed,
                                                      const std::vector<result::TimePoint>& closed);
};

}  // namespace lueng::exec
