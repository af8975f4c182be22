#include "engine/exec/run_plan.hpp"

namespace lueng::exec {

int64_t RunPlan::total_vus() const {
  int64_t total = 0;
  for (const auto& scenario : scenarios)
    total += scenario.config.executor_config->max_vus({0, 1, instance()});
  return total;
}

void RunPlan::assign_vus() {
  uint64_t next_id = 1;
  int64_t dealt = 0;  // VUs dealt round robin so far, over all scenarios
  for (auto& scenario : scenarios) {
    const ExecutorConfig& executor = *scenario.config.executor_config;
    scenario.total_vus = executor.max_vus({0, 1, instance()});
    scenario.iteration_numbering = executor.iteration_numbering(segment);
    scenario.first_segment_worker = static_cast<int>(dealt % workers);
    dealt += scenario.total_vus;
    scenario.first_vu_id.assign(workers, 0);
    for (int s = 0; s < workers; ++s) {
      scenario.first_vu_id[s] = next_id;
      next_id += static_cast<uint64_t>(executor.max_vus({s, workers, instance()}));
    }
  }
  max_vus = next_id - 1;
}

}  // namespace lueng::exec
