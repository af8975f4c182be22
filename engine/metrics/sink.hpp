#pragma once

#include <cstdint>
#include <deque>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "engine/metrics/aggregate.hpp"
#include "engine/metrics/metric.hpp"
#include "engine/metrics/sample_channel.hpp"

namespace lueng::metrics {

// A sub-metric a sink aggregates as samples arrive (a threshold's
// metric{tag:value}): exact from the first sample, also for tag sets the
// cardinality bound folds. An empty filter tracks the whole metric.
struct TrackedMetric {
  MetricId metric;
  std::string filter;  // canonical tag set (tags.hpp)
  Aggregate aggregate;
};

struct StringHash {
  using is_transparent = void;
  size_t operator()(std::string_view text) const { return std::hash<std::string_view>{}(text); }
};

// Where one worker records its samples. Owned and touched by a single thread;
// the main thread reads it only after that thread has finished.
class Sink {
 public:
  // Past max_tag_sets distinct tag sets, new ones fold into kOverflowTags.
  explicit Sink(const MetricCatalog& catalog, size_t max_tag_sets = 20000);

  // Starts tracking a sub-metric; call before the first intern(). Returns its index
  // in tracked().
  size_t track(MetricId metric, std::string filter);
  const std::vector<TrackedMetric>& tracked() const { return tracked_; }

  // The id of a canonical tag set (see tags.hpp); allocates only for a new set.
  TagSetId intern(std::string_view encoded_tags);
  void add(MetricId metric, TagSetId tags, double value, uint64_t time_ns);

  // Also hands every sample to `channel` (an output streaming samples); call
  // before the first intern(). Without one, recording costs one branch more.
  void stream_to(SampleChannel* channel) { stream_ = channel; }

  const MetricCatalog& catalog() const { return catalog_; }
  // Number of distinct tag sets refused by the cardinality bound.
  uint64_t overflowed_tag_sets() const { return overflowed_; }

  // Visits every (metric, tag set, aggregate) recorded so far.
  template <typename Visit>
  void for_each(Visit&& visit) const {
    const size_t metrics = catalog_.size();
    for (size_t t = 0; t < tag_sets_.size(); ++t)
      for (size_t m = 0; m < metrics; ++m) {
        int32_t slot = slots_[t * metrics + m];
        if (slot >= 0)
          visit(static_cast<MetricId>(m), std::string_view(tag_sets_[t]), aggregates_[slot]);
      }
  }

  static constexpr std::string_view kOverflowTags = "name\x1f(other)\x1e";

 private:
  const MetricCatalog& catalog_;
  size_t max_tag_sets_;
  std::unordered_map<std::string, TagSetId, StringHash, std::equal_to<>> ids_;
  std::vector<std::string> tag_sets_;
  std::vector<int32_t> slots_;  // [tag set * metrics + metric] -> index in aggregates_, -1 if none
  std::deque<Aggregate> aggregates_;
  uint64_t overflowed_ = 0;
  std::vector<TrackedMetric> tracked_;
  std::vector<uint8_t> metric_tracked_;             // [metric] -> some tracked entry is of it
  std::vector<std::vector<uint32_t>> tag_matches_;  // [tag set] -> tracked entries it matches
  SampleChannel* stream_ = nullptr;
  std::vector<uint32_t> matches_;  // scratch of intern()
  std::string overflow_key_;       // scratch of intern()

  TagSetId add_tag_set(std::string_view stored, std::string_view key);
};

}  // namespace lueng::metrics
