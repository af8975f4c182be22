#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <rapidjson/document.h>

namespace lueng::exec {

// What the end-of-test summary shows, with k6's names: summaryTrendStats (the
// trend columns: avg, min, med, max, count, p(N)) and summaryTimeUnit ("s", "ms"
// or "us"; durations in the unit that fits each without it). The command line's
// --summary-trend-stats and --summary-time-unit win over the script's.
struct SummaryOptions {
  std::optional<std::vector<std::string>> trend_stats;
  std::optional<std::string> time_unit;  // "" is no unit, as in k6
};

// "" or k6's message about the first stat that is none.
std::string trend_stats_problem(const std::vector<std::string>& stats);
// "" or k6's message ("invalid summary time unit 'x', use 's', 'ms' or 'us'").
std::string time_unit_problem(std::string_view unit);

// The script's, checked; throws ConfigError naming the option.
SummaryOptions read_summary_options(const rapidjson::Value& options);

// Puts `chosen` into `options` (made an object when null) under k6's names,
// replacing any spelling of them, so the result file, report re-renders and
// lueng.test.options see the options the run used.
void store_summary_options(rapidjson::Document& options, const SummaryOptions& chosen);

}  // namespace lueng::exec
