#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "engine/metrics/metric_set.hpp"
#include "engine/result/detail_series.hpp"
#include "engine/result/findings_model.hpp"
#include "engine/result/monitor_model.hpp"
#include "engine/thresholds/slo.hpp"

namespace lueng::result {

// Locust's percentiles, the columns of its stats files (50%, 66%, ... 100%).
inline constexpr std::array<double, 11> kLocustPercentiles = {50, 66, 75,   80,    90, 95,
                                                              98, 99, 99.9, 99.99, 100};

// What is counted per second of the test: by each worker while the second runs
// (exec::IntervalStats) and in the time series of the result (TimePoint).
struct IntervalCounts {
  uint64_t requests = 0;
  uint64_t failed = 0;
  uint64_t iterations = 0;
  uint64_t checks_passed = 0;
  uint64_t checks_failed = 0;
  double data_sent = 0;
  double data_received = 0;
  uint64_t dropped = 0;  // arrival-rate iterations with no free VU to start them

  void add(const IntervalCounts& other) {
    requests += other.requests;
    failed += other.failed;
    iterations += other.iterations;
    checks_passed += other.checks_passed;
    checks_failed += other.checks_failed;
    data_sent += other.data_sent;
    data_received += other.data_received;
    dropped += other.dropped;
  }
};

// One second of the test, from the workers' interval stats.
struct TimePoint : IntervalCounts {
  int64_t second = 0;  // since the test start
  double vus = 0;
  double vus_max = 0;
  // http_req_duration of the requests that ended in this second (ms); 0 when none.
  double duration_avg = 0, duration_p50 = 0, duration_p90 = 0, duration_p95 = 0, duration_p99 = 0,
         duration_max = 0;
  // p(95) and request count of the 10 s window ending with this second (this
  // second and the 9 before it): what breaking point and recovery judge.
  double window_p95 = 0;
  uint64_t window_requests = 0;
  // http_req_duration of every request from the start to the end of this second,
  // for running totals (Locust's stats history); 0 while there was none.
  double total_min = 0, total_avg = 0, total_max = 0;
  std::array<double, kLocustPercentiles.size()> total_percentiles{};
  // The load generator itself besides `dropped`: p(95) of iteration_start_lag (ms,
  // 0 without arrival-rate iterations) and the share of the second the busiest
  // worker's event loop was not waiting (0..1).
  double start_lag_p95 = 0;
  double busy = 0;
};

// What a scenario's load looks like over time, as its executor says: what the
// findings judge of it. The result model carries it so that nothing reading a
// result needs to know executors by name.
enum class LoadShape {
  kOther,     // bounded by iterations, or any other shape: nothing for the findings
  kConstant,  // the same load for `duration` from its start: drift
  kRamping,   // the load goes from `start_target` through `stages`: breaking point,
              // recovery after spikes, drift over its longest hold
};

struct ScenarioSummary {
  std::string name;
  std::string executor;
  std::string description;  // what the executor does, in one line
  double max_duration = 0;  // longest run time without gracefulStop
  std::string exec;
  int64_t vus = 0;         // VUs it starts with (pre-allocated ones for an open model)
  int64_t iterations = 0;  // iterations it runs, 0 when not bounded by them
  // Every VU's iterations together when a count bounds it (VUs × iterations when
  // each VU runs its own), 0 otherwise; known while it runs, not in the result file.
  int64_t iterations_total = 0;
  double duration = 0;  // a constant load's duration, 0 for other shapes
  double start_time = 0;
  double graceful_stop = 0;
  std::vector<std::pair<std::string, std::string>> tags;
  LoadShape load = LoadShape::kOther;
  // A ramping load: where it starts (VUs or a rate) and its stages (seconds, target).
  int64_t start_target = 0;
  std::vector<std::pair<double, int64_t>> stages;
  double breaking_p95_ms = 10000;  // its breakingPoint
  double breaking_error_rate = 0.05;
  // How its iterations ended: to the end, or cut off by gracefulStop,
  // gracefulRampDown or a stop (what they had in flight was abandoned).
  int64_t iterations_completed = 0;
  int64_t iterations_interrupted = 0;
  // With an execution segment: this instance's part of the load ("4 of 10 VUs,
  // 40 of 100 iterations"), for `lueng inspect`; not in the result file.
  std::string segment_share;
};

// The part of a distributed test a run was (--execution-segment, or
// --segment-index with --segment-count): docs/results.md, execution_segment.
struct SegmentInfo {
  std::string segment;   // "1/3:2/3", fractions reduced as k6 prints them
  std::string from, to;  // "1/3", "2/3"
  std::string sequence;  // "0,1/3,2/3,1", "" when none was given
  int64_t index = -1;    // --segment-index, -1 without
  int64_t count = 0;     // --segment-count, 0 without
  friend bool operator==(const SegmentInfo&, const SegmentInfo&) = default;
};

// One distinct message of the Lua errors that ended iterations (or setup() or
// teardown()), and how often it did.
struct ScriptErrorCount {
  std::string message;      // as Lua raised it: "file:line: text" when it has a place
  std::string phase;        // "iteration", "init" (the init code), "setup" or "teardown"
  bool deliberate = false;  // raised by lueng.fail(): a failure the script meant
  uint64_t count = 0;
  // "file:line" at the start of the message, "" when it has none.
  std::string location() const;
  // Where it happened, for a reader: "init code", "setup()", "teardown()".
  std::string phase_text() const { return phase == "init" ? "init code" : phase + "()"; }
};

// Failed requests (http_req_failed) of one endpoint, status and error code, as
// Locust's failures table and Gatling's errors list them: how many, and the
// message of the first.
struct FailureCount {
  std::string method;
  std::string endpoint;  // the endpoint tag when the request carried one, else the name tag
  int status = 0;        // 0: no response
  int error_code = 0;    // k6's error_code, 0 when the request has none
  std::string message;   // the first one's error, "HTTP 503" for a status without one
  uint64_t count = 0;
  friend bool operator==(const FailureCount&, const FailureCount&) = default;
};

// At most this many rows of failures are kept, by a run and by a merge; the
// failed requests of further combinations are counted in failures_unlisted.
inline constexpr size_t kMaxFailureRows = 200;

// One input of `lueng merge`, as the merged file lists it (merged_from).
struct MergedInput {
  std::string file;
  std::string segment;  // "0:1/3"; "0:1" for an unsegmented run
  std::string script_sha256;
  int64_t start_unix_ms = 0;
  int64_t end_unix_ms = 0;
  int exit_code = 0;
  std::string aborted_by;  // its slos.aborted_by: the abort_on_fail SLO that stopped it
  bool interrupted = false;
};

// Which parts of 0:1 the inputs of a merge covered, each "from:to", in order.
struct Coverage {
  std::vector<std::string> covered;
  std::vector<std::string> missing;
};

// The result model: everything a run measured. The summary, the result file and
// every report are rendered from this one structure, at the end of a run or from
// a saved result file.
struct RunResult {
  std::string lueng_version;
  std::string script;
  // Where `require` looked (the script's folder, LUENG_PATH, LUA_PATH, lib/lua) and
  // the target (ENV.BASE_URL, "" without one): what a reader of a saved run needs to
  // know which code ran against what. Empty in files of older versions.
  std::vector<std::string> module_paths;
  std::string base_url;
  std::string host;
  // A merged result (lueng merge): its inputs and what part of the test they covered.
  std::vector<MergedInput> merged_from;
  std::optional<Coverage> coverage;
  int64_t start_unix_ms = 0;
  int64_t end_unix_ms = 0;
  double duration_seconds = 0;  // test run, without setup and teardown
  // The clock samples are timed by (uv_hrtime()) at the start of the test. The
  // file gives a gauge's last sample relative to it, so that merging per-tag
  // series read back keeps the value that was set last.
  uint64_t clock_start_ns = 0;
  bool interrupted = false;
  std::string interrupt_reason;
  // Written during the run (every checkpoint interval): the numbers so far.
  bool partial = false;
  int workers = 0;
  uint64_t max_vus = 0;
  // math.random's run seed: `lueng run --random-seed` with it draws the same
  // numbers again. None in older files, and before a run when it is left to chance.
  std::optional<uint64_t> random_seed;
  // None for the whole test (also a merge that covers all of it); a segmented run
  // is one instance of a distributed test whose verdict `lueng merge` gives.
  std::optional<SegmentInfo> execution_segment;
  // Lowercase hex SHA-256 of the script file's bytes: the instances of one test ran
  // the same script. "" in files of older versions.
  std::string script_sha256;
  // --start-at, in Unix milliseconds: when the load was to start. None without.
  std::optional<int64_t> start_at_unix_ms;
  std::vector<ScenarioSummary> scenarios;
  std::string options_json;  // the script's options table as JSON, "null" when none
  metrics::MetricSet metrics;
  std::vector<TimePoint> time_series;
  // Per second by endpoint and by custom metric, for the HTML report's charts.
  // Empty in files of older versions.
  std::vector<EndpointSeries> endpoint_series;
  std::vector<MetricSeries> metric_series;
  // Most frequent first; at most ErrorLog's bound of distinct messages (the
  // script_errors metric counts every one).
  std::vector<ScriptErrorCount> script_errors;
  // Most frequent first; at most kMaxFailureRows (http_req_failed counts every
  // failure). Empty in files of older versions: failure_table() derives rows from
  // the metrics' tags for them.
  std::vector<FailureCount> failures;
  uint64_t failures_unlisted = 0;  // failed requests of combinations beyond the bound
  uint64_t overflowed_tag_sets = 0;
  uint64_t dropped_samples = 0;  // samples the streaming outputs missed (writer too slow)
  thresholds::SloReport slo;     // the thresholds and the verdict; empty without thresholds
  // Derived from the time series and the scenarios by analysis::compute_findings
  // once the run has ended or the file is read back; empty until then.
  Findings findings;
  // The target's own metrics (options.monitor); empty without a monitor.
  MonitorResult monitor;
  int exit_code = 0;
};

}  // namespace lueng::result
