#include "engine/analysis/target_findings.hpp"

#include <cmath>

#include <fmt/format.h>

#include "engine/common/duration.hpp"
#include "engine/common/format.hpp"
#include "engine/metrics/tags.hpp"

namespace lueng::analysis {

namespace {

bool is_memory_series(const std::string& name) {
  return name.find("memory") != std::string::npos && name.ends_with("_bytes");
}

}  // namespace

std::vector<result::TargetGrowth> target_growth(const result::RunResult& result) {
  std::vector<result::TargetGrowth> out;
  for (const result::MonitorSeries& s : result.monitor.series) {
    if (!is_memory_series(s.scraped) || !s.has_baseline || s.points.size() < 2) continue;
    result::TargetGrowth g;
    g.metric = s.metric;
    metrics::for_each_tag(s.tags, [&g](std::string_view key, std::string_view value) {
      if (key == "source") {
        g.source = value;
        return;
      }
      g.labels += (g.labels.empty() ? "" : ",") + std::string(key) + "=" + std::string(value);
    });
    g.baseline = s.baseline;
    g.last = s.points.back().second;
    g.growth_percent = s.growth_percent;
    for (const auto& [second, value] : s.points)
      if (second >= result.monitor.warmup_seconds) {
        g.from_second = second;
        break;
      }
    g.to_second = s.points.back().first;
    if (g.to_second <= g.from_second) continue;  // one value after the warm-up: no course
    g.flagged = g.growth_percent > kTargetGrowthLimitPercent;
    out.push_back(std::move(g));
  }
  return out;
}

std::string describe(const result::TargetGrowth& g) {
  std::string what = g.labels.empty() ? g.source : g.source + " " + g.labels;
  return fmt::format(
      "target memory ({}, {}): {} {:+.1f}% from {} to {} ({} to {}){}", g.metric, what,
      g.flagged ? "grew" : "stable,", g.growth_percent,
      format_duration(std::round(g.from_second * 10) / 10),
      format_duration(std::round(g.to_second * 10) / 10), format_bytes(g.baseline),
      format_bytes(g.last),
      g.flagged ? fmt::format(": more than {:.0f}%, a leak?", kTargetGrowthLimitPercent) : "");
}

}  // namespace lueng::analysis
