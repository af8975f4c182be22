#include "engine/result/metrics_merge.hpp"

#include <algorithm>
#include <string_view>

namespace lueng::result {

namespace {

// VUs of different instances run side by side: their gauges add up.
bool concurrent_gauge(std::string_view name) {
  return name == "vus" || name == "vus_max";
}

void add_concurrent(metrics::Aggregate& into, const metrics::Aggregate& other) {
  if (other.count == 0) return;
  if (into.count == 0) {
    into = other;
    return;
  }
  into.count += other.count;
  into.last += other.last;
  into.last_time_ns = std::max(into.last_time_ns, other.last_time_ns);
  into.min += other.min;
  into.max += other.max;
}

class Merger {
 public:
  Merger(const MetricsPart& part, uint64_t clock_start_ns)
      : part_(part), clock_start_ns_(clock_start_ns) {}

  // The aggregate with its gauge time on the merged clock.
  metrics::Aggregate shifted(const metrics::Aggregate& a) const {
    metrics::Aggregate out = a;
    // 0: a file from before sample times were kept. Unsigned arithmetic: a time
    // before the start wraps and comes back, as in the reader.
    if (a.last_time_ns != 0)
      out.last_time_ns = clock_start_ns_ + (a.last_time_ns - part_.clock_start_ns) +
                         static_cast<uint64_t>(part_.start_offset_ns);
    return out;
  }

 private:
  const MetricsPart& part_;
  uint64_t clock_start_ns_;
};

void combine(const metrics::MetricDef& def, metrics::Aggregate& into,
             const metrics::Aggregate& other) {
  if (def.type == metrics::MetricType::kGauge && concurrent_gauge(def.name))
    add_concurrent(into, other);
  else
    into.merge(def.type, other);
}

}  // namespace

metrics::MetricSet merge_metrics(const std::vector<MetricsPart>& parts, uint64_t clock_start_ns,
                                 const std::vector<TimePoint>& series) {
  // By name, in order of first appearance: tag sets, sub-metrics and totals.
  std::vector<metrics::MetricData> merged;
  auto slot = [&merged](const metrics::MetricDef& def) -> metrics::MetricData& {
    for (auto& m : merged)
      if (m.def.name == def.name) return m;
    merged.push_back({def, {}, {}, {}});
    return merged.back();
  };
  for (const MetricsPart& part : parts) {
    Merger merger(part, clock_start_ns);
    for (const metrics::MetricData& metric : part.metrics->metrics()) {
      metrics::MetricData& into = slot(metric.def);
      combine(metric.def, into.total, merger.shifted(metric.total));
      for (const auto& [tags, a] : metric.by_tags)
        combine(metric.def, into.by_tags[tags], merger.shifted(a));
      for (const auto& [filter, a] : metric.submetrics)
        combine(metric.def, into.submetrics[filter], merger.shifted(a));
    }
  }
  metrics::MetricSet out;
  for (metrics::MetricData& metric : merged) {
    if (concurrent_gauge(metric.def.name) && metric.total.count > 0 && !series.empty()) {
      auto value = [&metric](const TimePoint& p) {
        return metric.def.name == "vus" ? p.vus : p.vus_max;
      };
      auto [low, high] = std::minmax_element(
          series.begin(), series.end(),
          [&](const TimePoint& a, const TimePoint& b) { return value(a) < value(b); });
      metric.total.min = value(*low);
      metric.total.max = value(*high);
    }
    for (const auto& [tags, a] : metric.by_tags) out.add(metric.def, tags, a);
    for (const auto& [filter, a] : metric.submetrics) out.add_submetric(metric.def, filter, a);
    out.set_total(metric.def, metric.total);
  }
  return out;
}

}  // namespace lueng::result
