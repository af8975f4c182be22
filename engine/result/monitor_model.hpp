#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace lueng::result {

// The target's own metrics, scraped during the run (options.monitor, --monitor;
// docs/lua-api.md): how each endpoint answered, and every recorded series over
// time. The values are also lueng gauges in RunResult::metrics (thresholds read
// those); this keeps their course for the reports and the findings.

struct MonitorSource {
  std::string url;
  std::string source;  // "host:port", the `source` tag of its series
  uint64_t scrapes = 0;
  uint64_t errors = 0;      // failed scrapes: no answer, a non-200 status, an unreadable page
  std::string first_error;  // "" when none
};

struct MonitorSeries {
  std::string metric;   // the lueng gauge, e.g. target_process_resident_memory_bytes
  std::string scraped;  // the name the target exposes, e.g. process_resident_memory_bytes
  std::string tags;     // canonical tag set (metrics/tags.hpp): source and the series' labels
  // (seconds since the test start, value), one per scrape that had the series;
  // thinned to at most kMonitorMaxPoints for a long run.
  std::vector<std::pair<double, double>> points;
  // The value growth is measured from (the first one after the warm-up) and the
  // growth of the last value from it, in percent; no baseline before the warm-up ends.
  bool has_baseline = false;
  double baseline = 0;
  double growth_percent = 0;
};

inline constexpr size_t kMonitorMaxPoints = 1000;

struct MonitorResult {
  double interval_seconds = 0;
  double warmup_seconds = 0;
  std::vector<MonitorSource> sources;
  std::vector<MonitorSeries> series;
  bool empty() const { return sources.empty(); }
};

}  // namespace lueng::result
