#pragma once

#include "engine/result/run_result.hpp"
#include "engine/thresholds/slo.hpp"

namespace lueng::result {

// A run that measured nothing is no pass, whatever its SLOs say: when no
// iteration finished without a script error, SCRIPT ERRORS (exit 107, see
// apply_script_errors); when requests were sent and not one byte came back,
// CRITICAL (exit 2), since the latencies of requests that never reached a
// server (a refused connection takes no time) would pass any latency SLO.
// What the end of a run, `lueng validate`, `lueng gate` and `lueng merge` apply
// after the SLOs.
void apply_measurement_rules(thresholds::SloReport& report, const RunResult& result);

}  // namespace lueng::result
