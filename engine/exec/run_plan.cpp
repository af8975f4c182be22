#include "engine/exec/run_plan.hpp"

namespace lueng::exec {

void RunPlan::assign_vus() {
  uint64_t next_id = 1;
  for (auto& scenario : scenarios) {
    scenario.first_vu_id.assign(workers, 0);
    for (int w = 0; w < workers; ++w) {
      scenario.first_vu_id[w] = next_id;
      next_id += static_cast<uint64_t>(scenario.kind->max_vus(scenario.config, {w, workers}));
    }
  }
  max_vus = next_id - 1;
}

}  // namespace lueng::exec
