#pragma once

#include <string>

#include "engine/result/run_result.hpp"

namespace lueng::dashboard {

// How many seconds of the time series each snapshot carries: the charts show
// the last five minutes, and an event stays a few tens of kilobytes however long
// the run.
inline constexpr size_t kSeriesSeconds = 300;

// The dashboard's numbers as one line of JSON: the totals of the run so far
// (analysis::key_metrics, as the summary computes them), the last seconds of the
// time series, the endpoints, the SLOs' status and the findings. Nothing that the
// reports do not show (no environment, no headers). `final`: the end-of-run
// result, the same numbers as the summary and the result file.
std::string snapshot_json(const result::RunResult& result, bool final);

}  // namespace lueng::dashboard
