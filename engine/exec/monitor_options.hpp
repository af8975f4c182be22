#pragma once

#include <string>
#include <vector>

#include <rapidjson/document.h>

#include "engine/http/url.hpp"

namespace lueng::exec {

// What options.monitor and `--monitor URL` ask (docs/lua-api.md, options.monitor):
// the target's own Prometheus metrics, scraped during the run.
struct MonitorTarget {
  std::string url;     // as given
  http::Url parsed;    // http:// only
  std::string source;  // "host:port", the series' `source` tag
};

struct MonitorOptions {
  std::vector<MonitorTarget> targets;
  double interval_seconds = 5;
  double timeout_seconds = 2;
  double warmup_seconds = 0;  // growth is measured from the first scrape after it
  std::string prefix = "target_";
  // The scraped names to record; the Prometheus client libraries' process metrics
  // by default.
  std::vector<std::string> series = {"process_resident_memory_bytes", "process_cpu_seconds_total",
                                     "process_open_fds"};
  bool enabled() const { return !targets.empty(); }
};

// Reads options.monitor (absent: none) and adds the --monitor URLs. Throws
// ConfigError naming the option.
MonitorOptions read_monitor_options(const rapidjson::Value& options,
                                    const std::vector<std::string>& flag_urls);

// The lueng metric a scraped series is recorded as: prefix + name, with the ':'
// of recording rules (not allowed in lueng's names) written as '_'.
std::string monitor_metric_name(const MonitorOptions& options, const std::string& series);

}  // namespace lueng::exec
