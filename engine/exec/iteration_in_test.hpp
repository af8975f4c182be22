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
// the same. SEAM for execution segments: when `plan` runs a segment of the test,
// return the segment's global_index(iteration_in_instance) here, so that the
// instances of a distributed test number their iterations disjointly (and so pick
// disjoint rows).
inline int64_t iteration_in_test(const RunPlan& /*plan*/, int64_t iteration_in_instance) {
  return iteration_in_instance;
}

}  // namespace lueng::exec
