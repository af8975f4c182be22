#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>

#include "engine/exec/scenario_config.hpp"

namespace lueng::result {
struct ScenarioSummary;
}

namespace lueng::exec {

class ScenarioRun;
class ScenarioTable;
class Vu;
struct ScenarioShared;

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
// are called on the worker's loop thread only.
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

// One scenario's executor options. Each executor defines its own in its file
// under engine/exec/executors/, with their defaults, and answers everything the
// rest of lueng asks about its load, so nothing outside that file depends on
// which executor a scenario has.
class ExecutorConfig {
 public:
  virtual ~ExecutorConfig() = default;

  // What is wrong with the options, naming the option ("vus must be at least 1");
  // "" when nothing is.
  virtual std::string validate() const = 0;
  // VUs this worker may use for its segment at most (their ids are reserved).
  virtual int64_t max_vus(const Segment& segment) const = 0;
  // VUs created before the test starts; the rest are created when needed.
  virtual int64_t initial_vus(const Segment& segment) const { return max_vus(segment); }
  // Longest time the scenario can run, without gracefulStop (for planning and bounds).
  virtual double max_duration() const = 0;
  // One line for the summary and `lueng inspect`, e.g. "10 looping VUs for 30s".
  virtual std::string describe() const = 0;
  // Fills in the result model's account of the load: vus, iterations, duration,
  // start target and stages, and the load shape the findings judge.
  virtual void summarize(result::ScenarioSummary& summary) const = 0;
  // The executor of one worker's segment. `this` outlives it (the run plan holds both).
  virtual std::unique_ptr<Executor> create(const Segment& segment,
                                           ScenarioShared& shared) const = 0;
};

// An executor as the registry (engine/exec/executors/registry.cpp) lists it.
struct ExecutorKind {
  std::string_view name;  // what scenarios give as `executor`
  // Reads the executor's options from a scenario's table, keeping the defaults of
  // those left out. Throws ConfigError naming a bad option.
  std::unique_ptr<ExecutorConfig> (*parse)(ScenarioTable& table);
  // The scenario k6's shortcuts (vus, duration, iterations, stages) make when they
  // make one of this executor, null otherwise: exactly one executor takes each
  // combination (stages are never combined with duration or iterations).
  std::unique_ptr<ExecutorConfig> (*from_shortcuts)(const Shortcuts& shortcuts);
};

std::span<const ExecutorKind* const> executor_kinds();  // every one, in registry order
std::string executor_names();  // every name, in registry order, for error messages

}  // namespace lueng::exec
