#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "engine/exec/monitor_options.hpp"
#include "engine/metrics/aggregate.hpp"
#include "engine/metrics/metric.hpp"
#include "engine/result/run_result.hpp"

namespace lueng::exec {

// The lueng metrics a monitor records into, defined in the run's catalog before
// the thresholds are read (TestRun::prepare), so that thresholds may name them.
struct MonitorMetrics {
  std::vector<metrics::MetricDef> value;   // per MonitorOptions::series: the scraped value
  std::vector<metrics::MetricDef> growth;  // ... and its growth since the baseline, in %
  metrics::MetricDef scrape_errors;        // counter, per source
};

// Defines them in `catalog`; throws ConfigError when a name is taken by another type.
MonitorMetrics define_monitor_metrics(const MonitorOptions& options,
                                      metrics::MetricCatalog& catalog);

// Scrapes the target's metrics endpoints every interval on a thread of its own
// (docs/lua-api.md, options.monitor): never on a worker's loop, so a slow or dead
// endpoint costs the VUs nothing. A failed scrape is counted and warned about once
// per endpoint, never fatal. Everything it keeps is behind one mutex, taken once per
// scrape and by whoever reads the result (the end of the run, a checkpoint).
class TargetMonitor {
 public:
  TargetMonitor(MonitorOptions options, MonitorMetrics metrics, std::string user_agent);
  ~TargetMonitor();
  TargetMonitor(const TargetMonitor&) = delete;
  TargetMonitor& operator=(const TargetMonitor&) = delete;

  // Starts scraping at once, then every interval; `start_ns` (uv_hrtime) is the
  // test's start, from which seconds and the warm-up are counted.
  void start(uint64_t start_ns);
  // Scrapes once more (the values at the end of the run) unless the last scrape
  // is recent, then ends the thread. Waits at most about the scrape timeout.
  void stop();
  // Adds the gauges, the error counter and the monitor section of the result.
  void add_to(result::RunResult& result) const;

 private:
  struct Series {
    size_t series = 0;  // index in options_.series
    std::string tags;   // canonical
    metrics::Aggregate value, growth;
    result::MonitorSeries record;
  };

  void run();
  void scrape(size_t target);
  void record(size_t target, size_t series, std::vector<std::pair<std::string, std::string>> labels,
              double value, uint64_t now_ns);
  void warn_missing_series() const;

  MonitorOptions options_;
  MonitorMetrics metrics_;
  std::string user_agent_;
  uint64_t start_ns_ = 0;
  uint64_t last_scrape_ns_ = 0;
  std::thread thread_;
  std::atomic<bool> abort_fetch_{false};  // a scrape in progress stops at once

  mutable std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::vector<result::MonitorSource> sources_;
  std::vector<std::vector<bool>> seen_;               // per target, per series: ever in a page
  std::vector<metrics::Aggregate> errors_;            // per target
  std::map<std::string, size_t, std::less<>> index_;  // metric + tags -> series_
  std::vector<Series> series_;
  bool warned_cardinality_ = false;
};

// At most this many series (scraped name × source × labels) in all: more are
// dropped with a warning, as a target with a label per request could otherwise
// fill the result.
inline constexpr size_t kMaxMonitorSeries = 200;

}  // namespace lueng::exec
