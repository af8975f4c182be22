#pragma once

#include <map>
#include <string>
#include <vector>

#include "engine/metrics/aggregate.hpp"
#include "engine/metrics/metric.hpp"
#include "engine/metrics/sink.hpp"

namespace lueng::metrics {

// Everything measured for one metric: the total over all tag sets and the
// aggregate of each tag set (keyed by canonical tag string), and the sub-metrics
// tracked while recording (keyed by canonical tag filter), which stay exact even
// when tag sets were folded by the cardinality bound.
struct MetricData {
  MetricDef def;
  Aggregate total;
  std::map<std::string, Aggregate, std::less<>> by_tags;
  std::map<std::string, Aggregate, std::less<>> submetrics;
};

// The merged metrics of a run (or of several runs): the result model's numbers.
class MetricSet {
 public:
  MetricSet() = default;
  explicit MetricSet(const MetricCatalog& catalog);

  void merge(const Sink& sink);
  // Merges by metric name; metrics unknown here are added.
  void merge(const MetricSet& other);
  void add(const MetricDef& def, std::string_view tags, const Aggregate& aggregate);
  void add_submetric(const MetricDef& def, std::string_view filter, const Aggregate& aggregate);
  // Replaces a metric's total (a reader restoring a saved file: the saved total
  // keeps what merging the tag sets again cannot, such as a gauge's last value).
  void set_total(const MetricDef& def, const Aggregate& total);

  const std::vector<MetricData>& metrics() const { return metrics_; }
  const MetricData* find(std::string_view name) const;

  // The merged aggregate of the tag sets matching a filter (a sub-metric).
  Aggregate filtered(const MetricData& metric, std::string_view filter) const;
  // A sub-metric: the tracked one when there is one, else filtered().
  Aggregate submetric(const MetricData& metric, std::string_view filter) const;

 private:
  MetricData& get(const MetricDef& def);
  std::vector<MetricData> metrics_;
};

}  // namespace lueng::metrics
