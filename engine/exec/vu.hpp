#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <uv.h>

#include "bindings/script_state.hpp"
#include "engine/exec/http_batch.hpp"
#include "engine/exec/http_call.hpp"
#include "engine/exec/http_flight.hpp"
#include "engine/exec/wakeups.hpp"
#include "engine/http/client.hpp"
#include "engine/http/cookie_jar.hpp"

namespace lueng::exec {

class ScenarioRun;
class Worker;
struct PooledResponse;

// A virtual user: one Lua coroutine, its connections and its place in a scenario.
// Lives on its worker's loop thread. Every wait (http, sleep) suspends the
// coroutine and a loop callback resumes it; nothing blocks.
class Vu final : private HttpFlight::Listener, private HttpBatch::Listener {
 public:
  Vu(Worker& worker, ScenarioRun& run, uint64_t id, uint64_t id_in_scenario,
     bindings::Coroutine coroutine);
  ~Vu();
  Vu(const Vu&) = delete;
  Vu& operator=(const Vu&) = delete;

  // The VU whose Lua code is executing on this thread, or null (init code).
  static Vu* running();

  // Starts an iteration (the worker calls this from its ready queue).
  void run_iteration();
  // Drops the current iteration at once: pending I/O is abandoned, the iteration
  // is counted as interrupted.
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
  // For the scenario: the VU's next iteration waits for `wakeup` (a back-off).
  Wakeup& backoff() { return backoff_wakeup_; }
  // Releases libuv handles; the VU may be destroyed after the loop has run once more.
  void close();

  // Called from Lua C functions while this VU runs; each is followed by a yield.
  // A request's storage, reset to the run's defaults (options).
  HttpCall& prepare_http_call();
  // `hold_ref` (a registry reference, or LUA_NOREF) keeps what the call points at
  // (its params.jar) alive until the response is back; it is released either way.
  void send_http(int hold_ref = LUA_NOREF);
  // http.batch(): entries 0..count-1 are filled, then sent together.
  // `input_ref` (a registry reference to the script's table) comes back with the
  // responses and is released either way.
  HttpCall& prepare_batch_entry(size_t index);
  void send_batch(size_t count, int input_ref);
  http::CookieJar& cookies() { return cookies_; }
  void sleep(double seconds);

  using TagList = std::span<const std::pair<std::string_view, std::string_view>>;
  void record_check(std::string_view name, bool passed, TagList extra_tags);
  size_t group_enter(std::string_view name);
  void group_leave(size_t token);

  uint64_t id() const { return id_; }
  uint64_t id_in_scenario() const { return id_in_scenario_; }
  uint64_t iteration() const { return iteration_; }
  uint64_t iteration_in_scenario() const { return iteration_; }
  const std::string& group() const { return group_; }
  ScenarioRun& scenario() { return run_; }
  Worker& worker() { return worker_; }
  // Where this VU's samples last found their tag sets in the worker's memo.
  struct TagHints {
    uint32_t http = 0, check = 0, iteration = 0, group = 0, custom = 0, iteration_start_lag = 0;
  };
  TagHints& tag_hints() { return tag_hints_; }

 private:
  enum class Waiting { kNothing, kHttp, kBatch, kSleep };

  void on_flight_done(HttpFlight& flight) override;
  void on_batch_done() override;
  void drop_batch_input();
  void drop_call_hold();

  void resume(int nargs);
  void end_iteration(const bindings::ResumeOutcome& outcome);
  static void on_sleep_done(void* self, uint64_t now_ns);
  static void on_backoff_over(void* self, uint64_t now_ns);

  Worker& worker_;
  ScenarioRun& run_;
  uint64_t id_;
  uint64_t id_in_scenario_;
  uint64_t iteration_ = 0;
  bindings::Coroutine co_;
  HttpFlight flight_;
  HttpCall call_;
  http::CookieJar cookies_;
  std::unique_ptr<HttpBatch> batch_;  // created by the first http.batch()
  int batch_input_ref_ = LUA_NOREF;
  int call_hold_ref_ = LUA_NOREF;
  PooledResponse* pending_response_ = nullptr;
  Waiting waiting_ = Waiting::kNothing;
  bool in_iteration_ = false;
  bool waited_ = false;  // the current iteration has waited (http, sleep)
  uint32_t quick_failures_ = 0;
  uint64_t iteration_start_ns_ = 0;
  std::string group_;
  std::vector<uint64_t> group_starts_;
  TagHints tag_hints_;
  Wakeup sleep_wakeup_{on_sleep_done, this};
  Wakeup backoff_wakeup_{on_backoff_over, this};
};

}  // namespace lueng::exec
