#pragma once

#include <cstdint>

#include "engine/exec/run_plan.hpp"

namespace lueng::exec {

// The one place that turns an iteration's number in this process (k6's
// exec.scenario.iterationInInstance: 0-based, unique over the scenario's
// iterations on every worker of the process, ScenarioShared::iterations_started)
// into its number in the whole test (iterationInTest), which lueng.scenario shows
// and lueng.data's unique picks index rows by.
//
// Without an execution segment the process runs the whole test and the number is
// the same. With one, the scenario's iteration numbering (the segment's sequence
// re-cut by its VUs, ExecutorConfig::iteration_numbering) gives the instance's
// k-th iteration the test's number global_index(k), so the instances of a
// distributed test number their iterations disjointly, and pick disjoint rows.
inline int64_t iteration_in_test(const PlannedScenario& scenario, int64_t iteration_in_instance) {
  return scenario.iteration_numbering.global_index(iteration_in_instance);
}

}  // namespace lueng::exec
