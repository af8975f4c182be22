#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace lueng::exec {

class ExecutorConfig;

using KeyValues = std::vector<std::pair<std::string, std::string>>;

struct Stage {
  double duration = 0;  // seconds
  int64_t target = 0;
};

inline double total_duration(const std::vector<Stage>& stages) {
  double total = 0;
  for (const Stage& stage : stages) total += stage.duration;
  return total;
}

// k6's execution shortcuts, from the command line or the script's options.
struct Shortcuts {
  std::optional<int64_t> vus;
  std::optional<double> duration;
  std::optional<int64_t> iterations;
  std::vector<Stage> stages;
  // Stages given, even none (k6's `--stage ""`): they replace the lower levels' load.
  bool stages_given = false;
  bool any() const { return vus || duration || iterations || !stages.empty() || stages_given; }
};

// One scenario as written in options.scenarios (or derived from the shortcuts),
// with k6's option names: the options every scenario has, and its executor's own,
// which the executor parsed, gave their defaults and checks (executor.hpp).
struct ScenarioConfig {
  std::string name;
  std::string executor;          // its name, as the script gave it
  std::string exec = "default";  // global function each iteration calls
  double start_time = 0;         // seconds after the test start
  double graceful_stop = 30;     // seconds running iterations get once the scenario ends
  KeyValues tags;                // added to every sample of the scenario
  KeyValues env;                 // ENV entries only this scenario's VUs see
  // setup() and teardown() run as a scenario of their own whose samples carry, as
  // k6's, group=::setup (::teardown) at the root and no scenario tag; "" for the
  // test's scenarios.
  std::string root_group;

  // breakingPoint: where a scenario whose load ramps counts as broken (findings).
  double breaking_p95_ms = 10000;
  double breaking_error_rate = 0.05;

  // The executor's options; null while the executor is unknown. Read-only once
  // the run is planned, when every worker shares it.
  std::shared_ptr<const ExecutorConfig> executor_config;
};

}  // namespace lueng::exec
