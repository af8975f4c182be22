#pragma once

#include <atomic>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <uv.h>

#include "engine/exec/interval_stats.hpp"
#include "engine/exec/response_pool.hpp"
#include "engine/exec/run_plan.hpp"
#include "engine/exec/scenario_run.hpp"
#include "engine/exec/script.hpp"
#include "engine/exec/wakeups.hpp"
#include "engine/http/client.hpp"
#include "engine/metrics/metric_set.hpp"
#include "engine/metrics/sink.hpp"
#include "engine/metrics/tag_set_memo.hpp"
#include "engine/metrics/tags.hpp"

namespace lueng::exec {

class Vu;

// Lets another thread stop a Worker::call_function() at once: a signal during
// setup() or teardown().
class CallStop {
 public:
  void stop();

 private:
  friend class Worker;
  void attach(Worker* worker);
  void detach();
  std::mutex mutex_;
  Worker* worker_ = nullptr;
  bool stopped_ = false;
};

// One event loop, one script state and the VUs of its share of every scenario.
// Everything but request_stop() runs on the worker's own thread; workers share
// nothing but the read-only plan and RunShared's atomics and mailbox.
class Worker {
 public:
  Worker(int index, const RunPlan& plan, RunShared& shared);
  ~Worker();
  Worker(const Worker&) = delete;
  Worker& operator=(const Worker&) = delete;

  // Runs the worker on a thread of its own.
  void start();
  void join();
  // Runs one function once (setup or teardown) on the calling thread, in a state
  // of its own, for at most `timeout_seconds`. Returns the function's return value
  // as JSON ("" for nil; also when it called lueng.test.abort()).
  // Throws ScriptError when it fails, PhaseTimeout when it ran out of time,
  // ScriptInterrupted when `stop` stopped it.
  static std::string call_function(const RunPlan& plan, const std::string& name,
                                   const std::string& data_json, metrics::MetricSet& record_into,
                                   double timeout_seconds, class CallStop* stop = nullptr);

  // Any thread: stop starting iterations (graceful) or drop running ones (hard).
  void request_stop(bool hard);
  // Any thread: breaks into script code of this worker that loops without
  // waiting (ScriptRuntime::interrupt); with request_stop(true), for a hard stop.
  void interrupt_lua();
  // The main thread gives up on a worker that does not end: its thread is left
  // running, detached, and the Worker must never be destroyed.
  void abandon();
  bool failed() const { return !failure_.empty(); }
  bool finished() const { return finished_.load(std::memory_order_acquire); }
  // Moves while the worker's thread gets on with its work (its loop turns, it
  // builds or stops VUs); stands still while script code or a blocking call holds
  // it. The main thread tells a busy worker from a hung one by it.
  uint64_t heartbeat() const { return heartbeat_.load(std::memory_order_relaxed); }
  const std::string& failure() const { return failure_; }
  const metrics::Sink& sink() const { return sink_; }
  int index() const { return index_; }

  // --- on the worker thread
  uv_loop_t* loop() { return &loop_; }
  http::Client& http() { return *http_; }
  metrics::Sink& sink() { return sink_; }
  metrics::TagSetBuilder& tags() { return tags_; }
  metrics::TagSetMemo& tag_memo() { return tag_memo_; }
  Script& script() { return *script_; }
  ResponsePool& responses() { return responses_; }
  WakeupQueue& wakeups() { return *wakeups_; }
  const RunPlan& plan() const { return plan_; }
  RunShared& shared() { return shared_; }
  IntervalStats& interval(uint64_t now_ns);
  // The endpoint series (EndpointKeys) of an http tag set, looked up once per tag
  // set: `endpoint()` names it the first time. Tag sets the cardinality bound
  // folded count under "(other)", whatever their endpoint.
  template <typename EndpointName>
  uint32_t endpoint_of(metrics::TagSetId tags, std::string_view method, EndpointName&& endpoint) {
    if (tags < endpoint_of_.size() && endpoint_of_[tags] != kNoEndpoint) [[likely]]
      return endpoint_of_[tags];
    return new_endpoint(tags, method, endpoint());
  }
  std::string* call_result() { return call_result_; }

  // Worker thread only (one writer: no read-modify-write needed).
  void beat() {
    heartbeat_.store(heartbeat_.load(std::memory_order_relaxed) + 1, std::memory_order_relaxed);
  }

  void enqueue(Vu& vu);
  // Until next_start_taken(), a start of `vu` (an enqueue) is noted, not queued:
  // the VU, ending an iteration from inside its script, begins the next itself.
  void take_next_start(Vu* vu) {
    taking_start_of_ = vu;
    start_taken_ = false;
  }
  bool next_start_taken() {
    taking_start_of_ = nullptr;
    return start_taken_;
  }
  void scenario_completed();
  // An iteration of `vu` ended by a Lua error (`deliberate`: by lueng.fail()).
  void report_error(Vu& vu, const std::string& message, bool deliberate);
  // An iteration ended because a hard stop interrupted its Lua code.
  void note_interrupted() { interrupted_ = true; }

 private:
  void run();  // the thread body: build, run the loop, tear down
  void build(const std::vector<size_t>& scenario_indices);
  // Posts the current second's stats; `measure_busy`: with the loop's busy share
  // since the last flush.
  void flush_interval(bool measure_busy = true);
  void take_snapshot(uint64_t now);
  uint32_t new_endpoint(metrics::TagSetId tags, std::string_view method, std::string_view endpoint);
  void begin_shutdown();
  static void on_ready(uv_idle_t* idle);
  static void on_tick(uv_timer_t* timer);
  static void on_stop_request(uv_async_t* async);
  static void on_shutdown(uv_timer_t* timer);
  void close_handles();

  int index_;
  const RunPlan& plan_;
  RunShared& shared_;
  std::thread thread_;

  // Declaration order is destruction order in reverse: VUs release Lua
  // references before the state closes, and the state's responses return to the
  // pool before the pool goes.
  uv_loop_t loop_;
  std::optional<WakeupQueue> wakeups_;  // built on loop_ once it is initialised
  metrics::Sink sink_;
  metrics::TagSetBuilder tags_;
  metrics::TagSetMemo tag_memo_;
  ResponsePool responses_;
  std::unique_ptr<http::Client> http_;
  std::unique_ptr<Script> script_;
  std::vector<std::unique_ptr<ScenarioRun>> runs_;

  std::vector<Vu*> ready_, running_batch_;
  Vu* taking_start_of_ = nullptr;  // see take_next_start()
  uint64_t latest_ns_ = 0;         // the latest time interval() was given
  bool start_taken_ = false;
  uv_idle_t ready_idle_;
  uv_timer_t tick_timer_, shutdown_timer_;
  uv_async_t stop_async_;
  std::atomic<int> stop_level_{0};  // 1 graceful, 2 hard
  std::atomic<bool> finished_{false};
  std::atomic<uint64_t> heartbeat_{0};
  std::mutex stop_mutex_;  // guards stop_async_ against use after close
  bool stop_async_open_ = false;
  IntervalStats interval_;
  static constexpr uint32_t kNoEndpoint = ~0u;
  std::vector<uint32_t> endpoint_of_;  // [tag set] -> EndpointKeys index, or kNoEndpoint
  uint64_t busy_since_ns_ = 0, idle_since_ns_ = 0;  // where the busy share of interval_ starts
  uint64_t next_snapshot_ns_ = 0;
  bool shutting_down_ = false;
  bool handles_closed_ = false;
  std::string failure_;
  std::string* call_result_ = nullptr;
  std::string call_error_;
  bool interrupted_ = false;
};

}  // namespace lueng::exec
