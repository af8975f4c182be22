#include "engine/metrics/sink.hpp"

namespace lueng::metrics {

Sink::Sink(const MetricCatalog& catalog, size_t max_tag_sets)
    : catalog_(catalog), max_tag_sets_(max_tag_sets) {}

TagSetId Sink::intern(std::string_view encoded_tags) {
  if (auto it = ids_.find(encoded_tags); it != ids_.end()) return it->second;
  if (tag_sets_.size() >= max_tag_sets_) {
    ++overflowed_;
    if (auto it = ids_.find(kOverflowTags); it != ids_.end()) return it->second;
    encoded_tags = kOverflowTags;
  }
  auto id = static_cast<TagSetId>(tag_sets_.size());
  tag_sets_.emplace_back(encoded_tags);
  ids_.emplace(tag_sets_.back(), id);
  slots_.resize(slots_.size() + catalog_.size(), -1);
  return id;
}

void Sink::add(MetricId metric, TagSetId tags, double value, uint64_t time_ns) {
  int32_t& slot = slots_[static_cast<size_t>(tags) * catalog_.size() + metric];
  if (slot < 0) {
    slot = static_cast<int32_t>(aggregates_.size());
    aggregates_.emplace_back();
  }
  aggregates_[slot].add(catalog_.def(metric).type, value, time_ns);
}

}  // namespace lueng::metrics
