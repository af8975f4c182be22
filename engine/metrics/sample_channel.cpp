#include "engine/metrics/sample_channel.hpp"

#include <algorithm>
#include <bit>

namespace lueng::metrics {

SampleChannel::SampleChannel(size_t capacity)
    : slots_(std::bit_ceil(std::max<size_t>(capacity, 2))), mask_(slots_.size() - 1) {}

void SampleChannel::define_tags(TagSetId id, std::string_view encoded) {
  std::lock_guard lock(tags_mutex_);
  if (tag_sets_.size() <= id) tag_sets_.resize(id + 1);
  tag_sets_[id] = encoded;
}

void SampleChannel::define_metadata(MetadataId id, std::string_view encoded) {
  std::lock_guard lock(tags_mutex_);
  metadata_sets_.emplace_back(id, encoded);
}

size_t SampleChannel::pop(std::span<SampleRecord> out) noexcept {
  uint64_t read = read_.load(std::memory_order_relaxed);
  uint64_t available = write_.load(std::memory_order_acquire) - read;
  size_t n = static_cast<size_t>(std::min<uint64_t>(available, out.size()));
  for (size_t i = 0; i < n; ++i) out[i] = slots_[(read + i) & mask_];
  read_.store(read + n, std::memory_order_release);
  return n;
}

void SampleChannel::take_tag_sets(std::vector<std::string>& into) {
  std::lock_guard lock(tags_mutex_);
  for (size_t id = into.size(); id < tag_sets_.size(); ++id) into.push_back(tag_sets_[id]);
}

void SampleChannel::take_metadata_sets(std::vector<std::pair<MetadataId, std::string>>& into) {
  std::lock_guard lock(tags_mutex_);
  for (auto& set : metadata_sets_) into.push_back(std::move(set));
  metadata_sets_.clear();
}

}  // namespace lueng::metrics
