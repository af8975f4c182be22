#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "engine/exec/scenario_config.hpp"

namespace lueng::exec {

class ScenarioRun;
class Vu;

// The part of a scenario's load that one worker runs: k6's "execution segment".
// Units (VUs, iterations) are dealt round robin, unit k to segment k % count, so
// the shares add up to the total exactly and a segment's share never shrinks
// when the total grows (a ramp's VUs on a worker only ever go up with the target).
struct Segment {
  int index = 0;  // this segment
  int count = 1;  // segments sharing the scenario
  int64_t share(int64_t total) const { return total > index ? (total - index - 1) / count + 1 : 0; }
};

// Decides when the VUs of one scenario run iterations on one worker. Executors
// are called on the worker's loop thread only. One file per executor; each is
// registered in executor_registry.cpp.
class Executor {
 public:
  virtual ~Executor() = default;

  // Scenario time zero on this worker: start VUs, arm timers.
  virtual void start(ScenarioRun& run) = 0;
  // `vu` finished an iteration (passed or failed): start another, or let it idle.
  // Not called once the scenario is finishing.
  virtual void on_iteration_end(ScenarioRun& run, Vu& vu) = 0;
  // The wake-up the executor asked for with ScenarioRun::wake_at() is due;
  // `now_ns` is the uv_hrtime() it runs for.
  virtual void on_wakeup(ScenarioRun&, uint64_t /*now_ns*/) {}
  // True for executors that start a VU's next iteration as soon as one ends,
  // bounded by time rather than by a count or a schedule: a VU failing at once
  // there would spin, so the scenario delays on_iteration_end with a back-off.
  virtual bool restarts_at_once() const { return false; }
};

// What the registry knows about an executor kind.
struct ExecutorKind {
  std::string_view name;
  // Checks the executor's options; returns an error naming the option, or "".
  std::string (*validate)(const ScenarioConfig& config);
  // VUs this worker may use for its segment at most (their ids are reserved).
  int64_t (*max_vus)(const ScenarioConfig& config, const Segment& segment);
  // VUs created before the test starts; the rest are created when needed.
  int64_t (*initial_vus)(const ScenarioConfig& config, const Segment& segment);
  // Longest time the scenario can run, without gracefulStop (for planning and bounds).
  double (*max_duration)(const ScenarioConfig& config);
  // One line for the summary and `lueng inspect`, e.g. "10 looping VUs for 30s".
  std::string (*describe)(const ScenarioConfig& config);
  std::unique_ptr<Executor> (*create)(const ScenarioConfig& config, const Segment& segment,
                                      struct ScenarioShared& shared);
};

const ExecutorKind* find_executor(std::string_view name);
std::string executor_names();  // "constant-vus, shared-iterations, ..." for error messages

}  // namespace lueng::exec
