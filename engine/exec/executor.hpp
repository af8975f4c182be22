#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>

#include "engine/common/execution_segment.hpp"
#include "engine/exec/scenario_config.hpp"

namespace lueng::result {
struct ScenarioSummary;
}

namespace lueng::exec {

class ScenarioRun;
class ScenarioTable;
class Vu;
struct ScenarioShared;

// The part of a scenario's load that one worker runs. With an execution segment
// (--execution-segment), `instance` is this process's part of the whole test:
// units are first striped over the instances the k6 way (ExecutionTuple::scale),
// then this instance's units are dealt round robin to its workers, unit k to
// worker k % count. Both steps add up to their total exactly and never shrink a
// share when the total grows (a ramp's VUs on a worker only ever go up with the
// target), so neither does the two together.
struct Segment {
  int index = 0;                             // this worker
  int count = 1;                             // workers sharing the instance's part
  const ExecutionTuple* instance = nullptr;  // null: the whole test
  // This instance's part of a total (VUs, iterations) of the whole test.
  int64_t instance_share(int64_t total) const { return instance ? instance->scale(total) : total; }
  // This worker's part of it.
  int64_t share(int64_t total) const {
    int64_t mine = instance_share(total);
    return mine > index ? (mine - index - 1) / count + 1 : 0;
  }
  // The whole instance, for what is planned per process rather than per worker.
  Segment whole_instance() const { return {0, 1, instance}; }
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
  // An execution segment's part of the load, for `lueng inspect`: "4 of 10 VUs",
  // with the iterations or arrivals where the executor has them.
  virtual std::string describe_share(const Segment& instance) const;
  // How this scenario's iterations are numbered across the instances of a
  // distributed test: the instance's k-th iteration is the whole test's
  // `global_index(k)` of what this returns: the execution segment's sequence
  // re-cut by the scenario's VUs (max_vus of the whole test), as k6 does for
  // the executors that share iterations or arrivals out by VUs. The instances' numbers are
  // disjoint, and where the count is fixed (iterations, per-VU iterations) they
  // are every number of the whole test, since each instance's iterations follow
  // its VUs.
  ExecutionTuple iteration_numbering(const ExecutionTuple& instance) const;
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
