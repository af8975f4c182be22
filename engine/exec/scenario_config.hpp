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
};

}  // namespace lueng::exec
