#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "engine/result/run_result.hpp"

namespace lueng::report {

// The run in the layout of k6's `--summary-export` file (k6's
// internal/js/summary-wrapper.js, oldJSONSummary): `--out k6-summary=FILE` and
// `lueng report RESULT --k6-summary FILE`, so jq paths and tools written for k6
// (`.metrics.http_req_duration["p(95)"]`, `.metrics.checks.value`,
// `.root_group.checks`) read it unchanged. Trends list the script's
// summaryTrendStats (k6's default avg, min, med, max, p(90), p(95) without it);
// a threshold is `true` when it failed, as k6 writes it.
std::string render_k6_summary(const result::RunResult& result);

// The trend statistics of options.summaryTrendStats in a result's options JSON,
// k6's default when the option is absent or not a list of strings.
std::vector<std::string> summary_trend_stats(std::string_view options_json);

// k6's group and check ids: the MD5 of the path, in lowercase hex.
std::string k6_group_id(std::string_view path);

}  // namespace lueng::report
