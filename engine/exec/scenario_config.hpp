#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace lueng::exec {

using KeyValues = std::vector<std::pair<std::string, std::string>>;

struct Stage {
  double duration = 0;  // seconds
  int64_t target = 0;
};

// One scenario as written in options.scenarios (or derived from the shortcuts),
// with k6's option names. Each executor reads the fields it defines and rejects
// the scenario when they are missing or out of range.
struct ScenarioConfig {
  std::string name;
  std::string executor;
  std::string exec = "default";  // global function each iteration calls
  double start_time = 0;         // seconds after the test start
  double graceful_stop = 30;     // seconds running iterations get once the scenario ends
  KeyValues tags;                // added to every sample of the scenario
  KeyValues env;                 // ENV entries only this scenario's VUs see

  int64_t vus = 1;
  int64_t iterations = 1;
  double duration = 0;
  double max_duration = 600;

  // ramping-vus
  int64_t start_vus = 1;
  std::vector<Stage> stages;  // targets are VUs, or iterations per time_unit for arrival rates
  double graceful_ramp_down = 30;

  // arrival-rate executors
  int64_t rate = 0;
  int64_t start_rate = 0;
  double time_unit = 1;
  int64_t pre_allocated_vus = -1;  // -1: not set
  int64_t max_vus = -1;            // -1: same as preAllocatedVUs

  // breakingPoint: where a ramping scenario counts as broken (findings).
  double breaking_p95_ms = 10000;
  double breaking_error_rate = 0.05;

  double stages_duration() const {
    double total = 0;
    for (const Stage& stage : stages) total += stage.duration;
    return total;
  }
};

}  // namespace lueng::exec
