#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "engine/metrics/metric.hpp"

namespace lueng::metrics {

using TagSetId = uint32_t;

// Metadata sets (k6's sample metadata: values for the outputs, kept out of the
// tags, often one per request such as a trace id) are numbered from 1 per sink;
// 0 is none. A set lives from its definition until its retirement, a record of
// its own after its last sample, so the writer forgets it and memory stays
// bounded by the sets in use, not by how many a run makes.
using MetadataId = uint32_t;
inline constexpr MetricId kRetireMetadata = ~MetricId{0};  // a record's metric: retires `metadata`

// One sample on its way from a recording thread to the output writer. Fixed
// size, no owned memory: the tag set and the metadata travel as the ids their
// sink interned.
struct SampleRecord {
  uint64_t time_ns;  // uv_hrtime()
  double value;
  TagSetId tags;
  MetricId metric;
  MetadataId metadata;
};

// A bounded single-producer single-consumer queue of samples, with the tag sets
// their ids refer to. The producer (one sink's thread) never waits: when the
// ring is full the sample is dropped and counted, so a slow consumer (a slow
// disk behind the output writer) can never stall a worker's event loop.
class SampleChannel {
 public:
  // capacity is rounded up to a power of two.
  explicit SampleChannel(size_t capacity);
  SampleChannel(const SampleChannel&) = delete;
  SampleChannel& operator=(const SampleChannel&) = delete;

  // --- producer side
  // No allocation, no lock: one slot write and one release store.
  void push(MetricId metric, TagSetId tags, double value, uint64_t time_ns,
            MetadataId metadata = 0) noexcept {
    uint64_t write = write_.load(std::memory_order_relaxed);
    if (write - read_seen_ >= slots_.size()) {
      read_seen_ = read_.load(std::memory_order_acquire);
      if (write - read_seen_ >= slots_.size()) {
        dropped_.store(dropped_.load(std::memory_order_relaxed) + 1, std::memory_order_relaxed);
        return;
      }
    }
    slots_[write & mask_] = {time_ns, value, tags, metric, metadata};
    write_.store(write + 1, std::memory_order_release);
  }
  // Tag set `id` is `encoded` (tags.hpp). Ids are defined in order 0, 1, 2...,
  // each before its first sample; a sink defines one only when it interns a
  // new tag set, which allocates anyway.
  void define_tags(TagSetId id, std::string_view encoded);
  // The same for metadata set `id` (from 1), encoded as a tag set is; retire it
  // with push(kRetireMetadata, 0, 0, 0, id) after its last sample.
  void define_metadata(MetadataId id, std::string_view encoded);

  // --- consumer side
  // Moves up to out.size() samples into out; returns how many.
  size_t pop(std::span<SampleRecord> out) noexcept;
  // Appends the tag sets defined since `into` was last filled (ids into.size()...).
  void take_tag_sets(std::vector<std::string>& into);
  // Moves the metadata sets defined since the last call into `into`.
  void take_metadata_sets(std::vector<std::pair<MetadataId, std::string>>& into);

  // Any thread: samples refused because the ring was full.
  uint64_t dropped() const { return dropped_.load(std::memory_order_relaxed); }
  size_t capacity() const { return slots_.size(); }

 private:
  std::vector<SampleRecord> slots_;
  uint64_t mask_;
  // Producer and consumer indices on cache lines of their own.
  alignas(64) std::atomic<uint64_t> write_{0};
  uint64_t read_seen_ = 0;  // producer's last view of read_
  std::atomic<uint64_t> dropped_{0};
  alignas(64) std::atomic<uint64_t> read_{0};

  std::mutex tags_mutex_;
  std::vector<std::string> tag_sets_;
  std::vector<std::pair<MetadataId, std::string>> metadata_sets_;  // defined, not taken yet
};

}  // namespace lueng::metrics
