#include "engine/metrics/metric_set.hpp"

#include "engine/metrics/tags.hpp"

namespace lueng::metrics {

MetricSet::MetricSet(const MetricCatalog& catalog) {
  for (MetricId id = 0; id < catalog.size(); ++id)
    metrics_.push_back({catalog.def(id), {}, {}, {}});
}

MetricData& MetricSet::get(const MetricDef& def) {
  for (auto& metric : metrics_)
    if (metric.def.name == def.name) return metric;
  metrics_.push_back({def, {}, {}, {}});
  return metrics_.back();
}

void MetricSet::add(const MetricDef& def, std::string_view tags, const Aggregate& aggregate) {
  MetricData& metric = get(def);
  metric.total.merge(def.type, aggregate);
  auto it = metric.by_tags.find(tags);
  if (it == metric.by_tags.end()) it = metric.by_tags.emplace(std::string(tags), Aggregate{}).first;
  it->second.merge(def.type, aggregate);
}

void MetricSet::add_submetric(const MetricDef& def, std::string_view filter,
                              const Aggregate& aggregate) {
  MetricData& metric = get(def);
  auto it = metric.submetrics.find(filter);
  if (it == metric.submetrics.end())
    it = metric.submetrics.emplace(std::string(filter), Aggregate{}).first;
  it->second.merge(def.type, aggregate);
}

void MetricSet::set_total(const MetricDef& def, const Aggregate& total) {
  get(def).total = total;
}

void MetricSet::merge(const Sink& sink) {
  sink.for_each([&](MetricId id, std::string_view tags, const Aggregate& aggregate) {
    add(sink.catalog().def(id), tags, aggregate);
  });
  for (const auto& tracked : sink.tracked())
    if (!tracked.filter.empty())
      add_submetric(sink.catalog().def(tracked.metric), tracked.filter, tracked.aggregate);
}

void MetricSet::merge(const MetricSet& other) {
  for (const auto& metric : other.metrics_) {
    for (const auto& [tags, aggregate] : metric.by_tags) add(metric.def, tags, aggregate);
    for (const auto& [filter, aggregate] : metric.submetrics)
      add_submetric(metric.def, filter, aggregate);
  }
}

const MetricData* MetricSet::find(std::string_view name) const {
  for (const auto& metric : metrics_)
    if (metric.def.name == name) return &metric;
  return nullptr;
}

Aggregate MetricSet::filtered(const MetricData& metric, std::string_view filter) const {
  Aggregate result;
  for (const auto& [tags, aggregate] : metric.by_tags)
    if (tags_match(tags, filter)) result.merge(metric.def.type, aggregate);
  return result;
}

Aggregate MetricSet::submetric(const MetricData& metric, std::string_view filter) const {
  if (auto it = metric.submetrics.find(filter); it != metric.submetrics.end()) return it->second;
  return filtered(metric, filter);
}

}  // namespace lueng::metrics
