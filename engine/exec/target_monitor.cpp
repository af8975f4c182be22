#include "engine/exec/target_monitor.hpp"

#include <uv.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>

#include <fmt/format.h>

#include "engine/common/prometheus_text.hpp"
#include "engine/exec/metrics_fetch.hpp"
#include "engine/exec/option_values.hpp"
#include "engine/metrics/tags.hpp"

namespace lueng::exec {

namespace {

metrics::MetricDef define(metrics::MetricCatalog& catalog, const std::string& name,
                          metrics::MetricType type) {
  std::string error;
  auto id = catalog.add(name, type, false, &error);
  if (!id) throw ConfigError("options.monitor: metric " + name + ": " + error);
  return catalog.def(*id);
}

// Keeps every other point, the first and the last: a long run's course at half
// the resolution rather than its end cut off.
void thin(std::vector<std::pair<double, double>>& points) {
  std::vector<std::pair<double, double>> kept;
  for (size_t i = 0; i < points.size(); i += 2) kept.push_back(points[i]);
  if (points.size() % 2 == 0) kept.push_back(points.back());
  points = std::move(kept);
}

}  // namespace

MonitorMetrics define_monitor_metrics(const MonitorOptions& options,
                                      metrics::MetricCatalog& catalog) {
  MonitorMetrics out;
  for (const std::string& series : options.series) {
    std::string name = monitor_metric_name(options, series);
    out.value.push_back(define(catalog, name, metrics::MetricType::kGauge));
    out.growth.push_back(define(catalog, name + "_growth", metrics::MetricType::kGauge));
  }
  out.scrape_errors =
      define(catalog, options.prefix + "scrape_errors", metrics::MetricType::kCounter);
  return out;
}

TargetMonitor::TargetMonitor(MonitorOptions options, MonitorMetrics metrics, std::string user_agent)
    : options_(std::move(options)),
      metrics_(std::move(metrics)),
      user_agent_(std::move(user_agent)) {
  for (const MonitorTarget& target : options_.targets) {
    result::MonitorSource& source = sources_.emplace_back();
    source.url = target.url;
    source.source = target.source;
    seen_.emplace_back(options_.series.size(), false);
    errors_.emplace_back();
  }
}

TargetMonitor::~TargetMonitor() {
  if (thread_.joinable()) {
    abort_fetch_ = true;
    stop();
  }
}

void TargetMonitor::start(uint64_t start_ns) {
  start_ns_ = start_ns;
  thread_ = std::thread([this] { run(); });
}

void TargetMonitor::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
  warn_missing_series();
}

void TargetMonitor::run() {
  using Clock = std::chrono::steady_clock;
  auto interval = std::chrono::microseconds(static_cast<int64_t>(options_.interval_seconds * 1e6));
  Clock::time_point next = Clock::now();
  for (;;) {
    for (size_t i = 0; i < options_.targets.size(); ++i) scrape(i);
    last_scrape_ns_ = uv_hrtime();
    next += interval;
    if (next < Clock::now()) next = Clock::now() + interval;  // a slow scrape: no burst to catch up
    std::unique_lock lock(mutex_);
    if (wake_.wait_until(lock, next, [this] { return stopping_; })) break;
  }
  // The values at the end of the run, unless the last scrape just had them.
  if (!abort_fetch_ && uv_hrtime() - last_scrape_ns_ > 500'000'000)
    for (size_t i = 0; i < options_.targets.size(); ++i) scrape(i);
}

void TargetMonitor::scrape(size_t target) {
  const MonitorTarget& where = options_.targets[target];
  FetchResult page =
      fetch_metrics_page(where.parsed, options_.timeout_seconds, user_agent_, abort_fetch_);
  uint64_t now = uv_hrtime();
  std::string error = page.error;
  PromParse parsed;
  if (page.ok) {
    parsed = parse_prometheus_text(page.body, [this](std::string_view name) {
      return std::find(options_.series.begin(), options_.series.end(), name) !=
             options_.series.end();
    });
    if (parsed.bad_lines > 0)
      error = fmt::format("unreadable page ({} bad line{}, {})", parsed.bad_lines,
                          parsed.bad_lines == 1 ? "" : "s", parsed.first_error);
  }
  std::lock_guard lock(mutex_);
  result::MonitorSource& source = sources_[target];
  ++source.scrapes;
  errors_[target].add(metrics::MetricType::kCounter, error.empty() ? 0 : 1, now);
  if (!error.empty()) {
    if (source.errors++ == 0) {
      source.first_error = error;
      fprintf(stderr, "\n  WARN monitor %s: %s (counted in %sscrape_errors; the run goes on)\n",
              where.url.c_str(), error.c_str(), options_.prefix.c_str());
    }
  }
  for (PromSample& sample : parsed.samples) {
    size_t series =
        static_cast<size_t>(std::find(options_.series.begin(), options_.series.end(), sample.name) -
                            options_.series.begin());
    seen_[target][series] = true;
    record(target, series, std::move(sample.labels), sample.value, now);
  }
}

void TargetMonitor::record(size_t target, size_t series,
                           std::vector<std::pair<std::string, std::string>> labels, double value,
                           uint64_t now_ns) {
  // The target's own `source` label, if it has one, must not hide which endpoint it was.
  for (auto& [key, label_value] : labels)
    if (key == "source") key = "exported_source";
  labels.emplace_back("source", options_.targets[target].source);
  std::string tags = metrics::encode_tags(labels);
  std::string key = metrics_.value[series].name + '\n' + tags;
  auto it = index_.find(key);
  if (it == index_.end()) {
    if (series_.size() >= kMaxMonitorSeries) {
      if (!warned_cardinality_)
        fprintf(stderr, "\n  WARN monitor: more than %zu series; the others are not recorded\n",
                kMaxMonitorSeries);
      warned_cardinality_ = true;
      return;
    }
    it = index_.emplace(key, series_.size()).first;
    Series& added = series_.emplace_back();
    added.series = series;
    added.tags = tags;
    added.record.metric = metrics_.value[series].name;
    added.record.scraped = options_.series[series];
    added.record.tags = tags;
  }
  Series& s = series_[it->second];
  double second = static_cast<double>(static_cast<int64_t>(now_ns - start_ns_)) / 1e9;
  s.value.add(metrics::MetricType::kGauge, value, now_ns);
  if (!s.record.has_baseline && second >= options_.warmup_seconds) {
    s.record.has_baseline = true;
    s.record.baseline = value;
  }
  if (s.record.has_baseline) {
    // From zero, any growth is unbounded: counted as 0% until there is a base to compare to.
    double growth = s.record.baseline != 0
                        ? (value - s.record.baseline) / std::abs(s.record.baseline) * 100
                        : 0;
    s.record.growth_percent = growth;
    s.growth.add(metrics::MetricType::kGauge, growth, now_ns);
  }
  if (s.record.points.size() >= result::kMonitorMaxPoints) thin(s.record.points);
  s.record.points.emplace_back(second, value);
}

void TargetMonitor::warn_missing_series() const {
  std::lock_guard lock(mutex_);
  for (size_t t = 0; t < sources_.size(); ++t) {
    if (sources_[t].scrapes <= sources_[t].errors) continue;  // never read: already warned
    for (size_t s = 0; s < options_.series.size(); ++s)
      if (!seen_[t][s])
        fprintf(stderr, "  WARN monitor %s: no series %s on the page\n", sources_[t].url.c_str(),
                options_.series[s].c_str());
  }
}

void TargetMonitor::add_to(result::RunResult& result) const {
  std::lock_guard lock(mutex_);
  result::MonitorResult& out = result.monitor;
  out.interval_seconds = options_.interval_seconds;
  out.warmup_seconds = options_.warmup_seconds;
  out.sources = sources_;
  out.series.clear();
  for (const Series& s : series_) {
    result.metrics.add(metrics_.value[s.series], s.tags, s.value);
    if (s.growth.count > 0) result.metrics.add(metrics_.growth[s.series], s.tags, s.growth);
    out.series.push_back(s.record);
  }
  for (size_t t = 0; t < sources_.size(); ++t)
    if (errors_[t].count > 0)
      result.metrics.add(metrics_.scrape_errors,
                         metrics::encode_tags({{"source", sources_[t].source}}), errors_[t]);
}

}  // namespace lueng::exec
