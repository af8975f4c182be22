#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <uv.h>

#include "engine/exec/pending_operation.hpp"
#include "engine/exec/script.hpp"
#include "engine/exec/system_tags.hpp"
#include "engine/exec/vu_module_state.hpp"
#include "engine/exec/wakeups.hpp"
#include "engine/metrics/metric.hpp"
#include "engine/metrics/sample_channel.hpp"

namespace lueng::http {
class Client;
}

namespace lueng::exec {

struct HttpOptions;
class ResponsePool;
struct RunPlan;
class RunShared;
class ScenarioRun;
class Worker;

// A virtual user: its script coroutine (ScriptVu), the state its modules keep
// and its place in a scenario. Lives on its worker's loop thread. Every wait
// suspends the coroutine on a PendingOperation that a module started, and a loop
// callback resumes it; nothing blocks. The VU does not know what it waits for
// (an HTTP request, a sleep): the modules do (pending_operation.hpp).
class Vu final {
 public:
  Vu(Worker& worker, ScenarioRun& run, uint64_t id, uint64_t id_in_scenario,
     std::unique_ptr<ScriptVu> script);
  ~Vu();
  Vu(const Vu&) = delete;
  Vu& operator=(const Vu&) = delete;

  // The VU whose script code is executing on this thread, or null (init code).
  static Vu* running();

  // --- for the worker and the scenario
  // Starts an iteration (the worker calls this from its ready queue).
  void run_iteration();
  // Drops the current iteration at once: the operation it waits for is
  // abandoned, the iteration is counted as interrupted.
  void abort();
  bool in_iteration() const { return in_iteration_; }
  // Set while the VU waits in its worker's ready queue.
  bool queued = false;
  // When an arrival-rate executor wanted the queued iteration to start (0: no schedule).
  uint64_t scheduled_ns = 0;
  // Position among its scenario's VUs on this worker (ramping executors activate the first N).
  size_t index_in_run = 0;
  // Iterations in a row that failed before they waited for anything.
  uint32_t quick_failures() const { return quick_failures_; }
  // For the scenario: the VU's next iteration waits for `wakeup` (a back-off, or
  // the rest of minIterationDuration).
  Wakeup& backoff() { return backoff_wakeup_; }
  // uv_hrtime() when the current (or last) iteration started.
  uint64_t iteration_start_ns() const { return iteration_start_ns_; }
  // Releases libuv handles; the VU may be destroyed after the loop has run once more.
  void close();

  // --- for script modules, while this VU runs (Vu::running()): the seam
  // The script's iteration ended without error and the script is still running
  // (between iterations, without leaving the VU's coroutine): ends the iteration
  // and, when the VU's executor starts its next one at once, begins that one and
  // returns true, so that the script goes on without a round trip through the
  // loop. False otherwise; the script then yields its iteration's end as usual
  // (ended already, or left to the loop: an iteration that never waited ends
  // there, so that a script that never waits still lets the loop run).
  bool end_iteration_in_script();
  // The running code waits for `operation`, which the module has started (or
  // starts next); the module's code yields right after. See pending_operation.hpp.
  void wait_for(PendingOperation& operation);
  // `operation`, which this VU waits for, is done: its results go to the script
  // and the VU's code runs on. From a loop callback only, as its last statement.
  void complete(PendingOperation& operation);
  // The state a module keeps for this VU in `slot` (new_vu_slot()), made with
  // State(Vu&) on first use and destroyed with the VU. The slot's state is always
  // a State: one module, one slot, one type.
  template <typename State>
  State& module_state(size_t slot) {
    if (slot >= modules_.size() || !modules_[slot])
      return static_cast<State&>(add_module_state(slot, std::make_unique<State>(*this)));
    return static_cast<State&>(*modules_[slot]);
  }

  // Samples the script records: checks, groups, custom metrics (lueng.metrics),
  // with the VU's tags and the script's.
  using TagList = std::span<const std::pair<std::string_view, std::string_view>>;
  void record_check(std::string_view name, bool passed, TagList extra_tags);
  size_t group_enter(std::string_view name);
  void group_leave(size_t token);
  void record_custom(metrics::MetricId metric, double value, TagList extra_tags);

  // Ends this VU's scenario on its worker: no iteration starts after this one,
  // running ones get gracefulStop (the scenario's other workers stop when their
  // VUs ask the same). For a module whose source of work ran out, e.g. a data
  // set's unique rows; the module then ends the iteration (ResumeOutcome::stopped).
  void stop_scenario();

  // What the script may know of its VU (lueng.vu).
  uint64_t id() const { return id_; }
  uint64_t id_in_scenario() const { return id_in_scenario_; }
  uint64_t iteration() const { return iteration_; }
  uint64_t iteration_in_scenario() const { return iteration_; }
  const std::string& group() const { return group_; }
  // Tags the script set on this VU (lueng.vu.tags, k6's exec.vu.tags), sorted by
  // name: on every sample the VU records from then on, over the test's and the
  // scenario's tags; a request's or check's own tags win over them. `tags_key()`
  // changes with them: the tag memo's keys include it.
  using Labels = std::vector<std::pair<std::string, std::string>>;
  const Labels& tags() const { return labels_ ? labels_->tags : kNoLabels; }
  std::string_view tags_key() const { return labels_ ? std::string_view(labels_->tags_key) : ""; }
  void set_tag(std::string_view key, std::string_view value);
  void delete_tag(std::string_view key);
  // What lueng.vu.tags[key] reads: the VU's own tag, else the scenario's or the
  // test's, the scenario's name or the current group; false when none.
  bool tag(std::string_view key, std::string* value) const;
  // lueng.vu.metrics.metadata (k6's exec.vu.metrics.metadata): values on the
  // VU's later samples in the streaming outputs (JSON, CSV) only, not tags: no
  // series, thresholds or reports are split by them, so one per request (a
  // trace id) costs nothing there. metadata_id() is the set's id in the sink.
  const Labels& metadata() const { return labels_ ? labels_->metadata : kNoLabels; }
  void set_metadata(std::string_view key, std::string_view value);
  void delete_metadata(std::string_view key);
  metrics::MetadataId metadata_id() const { return metadata_id_; }
  const std::string& scenario_name() const;
  const std::string& scenario_executor() const;
  // The current iteration's number among all of its scenario's iterations in this
  // process (k6's iterationInInstance) and in the whole test (iterationInTest),
  // both 0-based and unique; iteration_in_test.hpp maps one to the other.
  int64_t iteration_in_instance() const { return iteration_in_instance_; }
  int64_t iteration_in_test() const;
  // How far the scenario is, 0 to 1: iterations done of those planned for an
  // executor bounded by a count, time elapsed of its planned length otherwise.
  double scenario_progress() const;
  // Wall-clock ms since the Unix epoch when the scenario began on this worker.
  double scenario_started_unix_ms() const;
  double scenario_elapsed_seconds() const;
  // The scenario's planned length (its executor's), whatever shortened it.
  double scenario_planned_seconds() const;
  double test_elapsed_seconds() const;
  // True for the VU that runs setup(), teardown() or handleSummary() in a state
  // of its own, not an exec function of a scenario.
  bool runs_a_hook() const;

  // The worker's facilities a module may use, on the loop thread.
  uv_loop_t* loop();
  WakeupQueue& wakeups();
  http::Client& http_client();
  ResponsePool& responses();
  const HttpOptions& http_options() const;
  // The run the VU belongs to (lueng.instance, lueng.test): its plan, read-only,
  // and the counters its workers share.
  const RunPlan& run_plan() const;
  RunShared& run_shared();

  // --- for the engine's own code (samples, HTTP flights)
  ScenarioRun& scenario() { return run_; }
  const ScenarioRun& scenario() const { return run_; }
  Worker& worker() { return worker_; }
  // Where this VU's samples last found their tag sets in the worker's memo.
  struct TagHints {
    uint32_t http = 0, check = 0, group = 0, custom = 0, iteration_start_lag = 0, io = 0;
  };
  TagHints& tag_hints() { return tag_hints_; }
  // The tag set of this VU's iteration samples, made of its scenario and its own
  // tags only: kept once known, forgotten when its tags change (kUnknownTags).
  static constexpr metrics::TagSetId kUnknownTags = UINT32_MAX;
  metrics::TagSetId& iteration_tags() { return iteration_tags_; }
  // Bytes this VU sent and received since its data_sent/data_received samples
  // were last recorded: k6 records them once per iteration, at its end
  // (record_io), not per request.
  struct IoBytes {
    double sent = 0, received = 0;
  };
  IoBytes& io_bytes() { return io_bytes_; }

 private:
  // `completed`: the operation whose results the script receives, or null.
  void resume(PendingOperation* completed);
  // What starting an iteration does before the script runs; `now_ns` is its start.
  void begin_iteration(uint64_t now_ns);
  // Returns when it ended (uv_hrtime()).
  uint64_t end_iteration(const ResumeOutcome& outcome);
  VuModuleState& add_module_state(size_t slot, std::unique_ptr<VuModuleState> state);
  static void on_backoff_over(void* self, uint64_t now_ns);

  Worker& worker_;
  ScenarioRun& run_;
  uint64_t id_;
  uint64_t id_in_scenario_;
  uint64_t iteration_ = 0;
  int64_t iteration_in_instance_ = 0;
  std::unique_ptr<ScriptVu> script_;
  // By slot; destroyed before script_, whose references they may hold.
  std::vector<std::unique_ptr<VuModuleState>> modules_;
  PendingOperation* pending_ = nullptr;  // what the VU waits for
  bool in_iteration_ = false;
  bool waited_ = false;           // the current iteration has waited for an operation
  bool restart_pending_ = false;  // aborted mid-iteration: a fresh coroutine before the next
  bool ended_in_script_ = false;  // end_iteration_in_script() ended what the script yields next
  uint32_t quick_failures_ = 0;
  uint64_t iteration_start_ns_ = 0;
  std::string group_;
  // The script's tags and metadata for this VU: made when it sets the first, so
  // that the many VUs of a run that sets none do not pay their bytes.
  struct OwnLabels {
    Labels tags;
    std::string tags_key;
    Labels metadata;
  };
  static const Labels kNoLabels;
  OwnLabels& labels() {
    if (!labels_) labels_ = std::make_unique<OwnLabels>();
    return *labels_;
  }
  std::unique_ptr<OwnLabels> labels_;
  void redefine_metadata();
  void put_vu_and_iter(const SystemTags& system_tags);
  std::vector<uint64_t> group_starts_;
  TagHints tag_hints_;
  metrics::TagSetId iteration_tags_ = kUnknownTags;
  metrics::MetadataId metadata_id_ = 0;  // after eight 32-bit numbers: no padding
  IoBytes io_bytes_;
  Wakeup backoff_wakeup_{on_backoff_over, this};
};

}  // namespace lueng::exec
