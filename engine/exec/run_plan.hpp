#pragma once

#include <atomic>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include <uv.h>

#include "engine/exec/endpoint_keys.hpp"
#include "engine/exec/error_log.hpp"
#include "engine/exec/executor.hpp"
#include "engine/exec/failure_log.hpp"
#include "engine/exec/http_options.hpp"
#include "engine/exec/interval_stats.hpp"
#include "engine/exec/live_metrics.hpp"
#include "engine/exec/request_pacer.hpp"
#include "engine/exec/scenario_config.hpp"
#include "engine/exec/scenario_shared.hpp"
#include "engine/exec/script.hpp"
#include "engine/exec/sink_snapshots.hpp"
#include "engine/exec/system_tags.hpp"
#include "engine/http/tls_material.hpp"
#include "engine/metrics/metric.hpp"

namespace lueng::output {
class SampleWriter;
}

namespace lueng::exec {

struct PlannedScenario {
  ScenarioConfig config;  // its executor_config is set: the scenario is valid
  std::unique_ptr<ScenarioShared> shared = std::make_unique<ScenarioShared>();
  std::vector<uint64_t> first_vu_id;  // per segment: id of its first VU in this scenario
  int64_t total_vus = 0;              // at most, over all workers
  // How this instance's iterations of the scenario map to the whole test's
  // numbers (ExecutorConfig::iteration_numbering): global_index(k) of the k-th.
  // The whole test's own numbering without an execution segment.
  ExecutionTuple iteration_numbering;
  // Which segment of the scenario a worker runs. The segments of each scenario
  // start where the previous scenario's VUs left off, so that several small
  // scenarios spread over the workers instead of piling onto the first.
  int first_segment_worker = 0;
  Segment segment_of(int worker, int workers, const ExecutionTuple* instance) const {
    return {(worker - first_segment_worker + workers) % workers, workers, instance};
  }
};

// Everything a worker needs to run its part of the test. Built on the main
// thread before any worker starts; read-only while they run.
struct RunPlan {
  std::shared_ptr<const ScriptRuntime> runtime;  // makes every script state of the run
  ScriptSource source;
  std::vector<PlannedScenario> scenarios;
  int workers = 1;
  std::string setup_json;         // setup()'s return value, "" for none
  std::string options_json;       // the script's options as JSON, for lueng.test.options
  uint64_t min_iteration_ns = 0;  // minIterationDuration; 0: none
  metrics::MetricCatalog catalog;
  std::string user_agent;
  HttpOptions http;
  SystemTags system_tags;                        // which system tags samples carry (systemTags)
  std::shared_ptr<const http::TlsMaterial> tls;  // https settings, shared by every worker
  uint64_t start_ns = 0;  // uv_hrtime() of the test start; seconds are counted from it
  uint64_t max_vus = 0;
  // This process's execution segment (--execution-segment): the whole test by default.
  ExecutionTuple segment;
  const ExecutionTuple* instance() const { return segment.whole() ? nullptr : &segment; }
  // Sub-metrics every worker's sink tracks (thresholds on metric{tag:value} and
  // abort_on_fail SLOs), in Sink::track order.
  std::vector<std::pair<metrics::MetricId, std::string>> tracked;
  // Where every sample also goes when an output streams them (--out json=...).
  output::SampleWriter* samples = nullptr;

  // Splits every scenario's VUs (this instance's part of them) over the workers
  // and numbers them 1..max_vus.
  void assign_vus();
  // The VUs of every scenario added up: more workers than that have nothing to run.
  int64_t total_vus() const;
};

// Where workers report to the main thread while the test runs.
class RunShared {
 public:
  std::atomic<int64_t> busy_vus{0};         // VUs queued for or inside an iteration
  std::atomic<int64_t> initialized_vus{0};  // VUs created so far (vus_max)
  std::atomic<int> ready_workers{0};        // workers whose init code ran and VUs exist
  std::atomic<int> started_workers{0};      // workers whose first iterations are scheduled
  ErrorLog errors;
  FailureLog failures;     // failed requests by endpoint, status and error code
  EndpointKeys endpoints;  // the endpoints of the per-endpoint series
  // The first request of the run that got no response prints its cause once
  // (record_http): a run against a dead target says why, not only a 100% failure rate.
  std::atomic<bool> network_error_reported{false};
  RequestPacer requests;    // the rps option's pace, shared by every VU
  LiveMetrics live;         // tracked sub-metrics for abort_on_fail
  SinkSnapshots snapshots;  // each worker's metrics as of its last snapshot
  // Signals the main thread (when it listens): a worker is ready, has started or
  // has ended.
  void notify_main() {
    std::lock_guard lock(notify_mutex_);
    if (worker_done_) uv_async_send(worker_done_);
  }
  // The main thread's handle for notify_main(), null once it stops listening (it
  // may stop before a worker it gave up on ends).
  void listen(uv_async_t* handle) {
    std::lock_guard lock(notify_mutex_);
    worker_done_ = handle;
  }

  // A worker whose VUs are built: waits until the main thread has heard from all
  // of them and returns whether the test goes ahead. RunPlan::start_ns is set by
  // then (release_workers() publishes it).
  bool worker_ready() {
    ready_workers.fetch_add(1, std::memory_order_acq_rel);
    notify_main();
    start_.wait(kWaiting, std::memory_order_acquire);
    return start_.load(std::memory_order_acquire) == kGo;
  }
  // The main thread, once: lets the workers start the test, or cancel it.
  void release_workers(bool go) {
    start_.store(go ? kGo : kCancel, std::memory_order_release);
    start_.notify_all();
  }
  bool released() const { return start_.load(std::memory_order_acquire) != kWaiting; }

  void post(const IntervalStats& stats) {
    std::lock_guard lock(mutex_);
    intervals_.push_back(stats);
  }
  std::vector<IntervalStats> take() {
    std::lock_guard lock(mutex_);
    return std::exchange(intervals_, {});
  }

 private:
  std::mutex notify_mutex_;
  uv_async_t* worker_done_ = nullptr;
  enum Start { kWaiting, kGo, kCancel };
  std::atomic<int> start_{kWaiting};
  std::mutex mutex_;
  std::vector<IntervalStats> intervals_;
};

}  // namespace lueng::exec
