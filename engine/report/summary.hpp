#pragma once

#include <string>

#include "engine/result/run_result.hpp"

namespace lueng::report {

struct SummaryStyle {
  bool color = false;
  // Open with the script and its scenarios (render_scenarios); `lueng run` prints
  // them at the start instead, once the script is loaded.
  bool scenarios = true;
};

// The end-of-test summary in k6's layout: checks, then every metric (trends with
// the options' summaryTrendStats, avg/min/med/max/p(90)/p(95)/p(99) without it,
// durations in their summaryTimeUnit; counters with rate, rates with %, gauges),
// then a per-endpoint table like Locust's stats.
std::string render_summary(const result::RunResult& result, const SummaryStyle& style);

// The script and its scenarios, as the summary and `lueng inspect` open with them.
std::string render_scenarios(const result::RunResult& result);

}  // namespace lueng::report
