#include "engine/analysis/key_metrics.hpp"

#include <algorithm>

namespace lueng::analysis {

using result::RunResult;

KeyMetrics key_metrics(const RunResult& result) {
  KeyMetrics k;
  double seconds = result.duration_seconds > 0 ? result.duration_seconds : 1;
  const metrics::MetricSet& m = result.metrics;
  if (const auto* duration = m.find("http_req_duration")) {
    const metrics::Histogram& h = duration->total.trend;
    k.requests = h.count();
    k.duration_avg = h.mean();
    k.duration_p50 = h.percentile(50);
    k.duration_p90 = h.percentile(90);
    k.duration_p95 = h.percentile(95);
    k.duration_p99 = h.percentile(99);
    k.duration_max = h.max();
  }
  if (const auto* reqs = m.find("http_reqs"))
    k.requests = std::max<uint64_t>(k.requests, static_cast<uint64_t>(reqs->total.sum));
  k.request_rate = k.requests / seconds;
  if (const auto* failed = m.find("http_req_failed")) k.failed = failed->total.nonzero;
  k.error_rate = k.requests ? static_cast<double>(k.failed) / k.requests : 0;
  if (const auto* iterations = m.find("iterations"))
    k.iterations = static_cast<uint64_t>(iterations->total.sum);
  k.iteration_rate = k.iterations / seconds;
  if (const auto* checks = m.find("checks")) {
    k.checks_passed = checks->total.nonzero;
    k.checks_failed = checks->total.count - checks->total.nonzero;
  }
  if (const auto* sent = m.find("data_sent")) k.data_sent = sent->total.sum;
  if (const auto* received = m.find("data_received")) k.data_received = received->total.sum;
  if (const auto* vus = m.find("vus"); vus && vus->total.count) k.vus_max = vus->total.max;
  for (const auto& point : result.time_series) k.vus_max = std::max(k.vus_max, point.vus);
  return k;
}

}  // namespace lueng::analysis
