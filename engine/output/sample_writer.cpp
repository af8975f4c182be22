#include "engine/output/sample_writer.hpp"

#include <uv.h>

#include <chrono>

namespace lueng::output {

SampleWriter::SampleWriter(std::vector<Output*> outputs, size_t channel_capacity)
    : outputs_(std::move(outputs)), channel_capacity_(channel_capacity), batch_(4096) {}

SampleWriter::~SampleWriter() {
  stop();
}

void SampleWriter::start(const metrics::MetricCatalog& catalog) {
  if (thread_.joinable()) return;
  catalog_ = &catalog;
  auto wall = std::chrono::duration_cast<std::chrono::nanoseconds>(
                  std::chrono::system_clock::now().time_since_epoch())
                  .count();
  unix_ns_at_hrtime_zero_ = static_cast<int64_t>(wall) - static_cast<int64_t>(uv_hrtime());
  thread_ = std::thread([this] { run(); });
}

metrics::SampleChannel* SampleWriter::open_channel() {
  auto source = std::make_unique<Source>();
  source->channel = std::make_unique<metrics::SampleChannel>(channel_capacity_);
  metrics::SampleChannel* channel = source->channel.get();
  std::lock_guard lock(mutex_);
  sources_.push_back(std::move(source));
  return channel;
}

uint64_t SampleWriter::stop() {
  if (thread_.joinable()) {
    {
      std::lock_guard lock(mutex_);
      stopping_.store(true, std::memory_order_release);
    }
    wake_.notify_one();
    thread_.join();
  }
  uint64_t dropped = 0;
  std::lock_guard lock(mutex_);
  for (const auto& source : sources_) dropped += source->channel->dropped();
  return dropped;
}

void SampleWriter::run() {
  std::vector<Source*> sources;
  for (;;) {
    // Everything pushed before stop() was called is visible once stopping_ is.
    bool stopping = stopping_.load(std::memory_order_acquire);
    {
      std::lock_guard lock(mutex_);
      sources.clear();
      for (auto& source : sources_) sources.push_back(source.get());
    }
    size_t drained = 0;
    for (Source* source : sources) drained += drain(*source);
    if (drained > 0) continue;
    if (stopping) return;
    int64_t now = unix_ns_at_hrtime_zero_ + static_cast<int64_t>(uv_hrtime());
    for (auto& output : outputs_) output->tick(now);
    // Nothing queued: producers never signal (that would cost them a system
    // call per sample), so poll at a pace the channels easily absorb.
    std::unique_lock lock(mutex_);
    wake_.wait_for(lock, std::chrono::milliseconds(5),
                   [this] { return stopping_.load(std::memory_order_relaxed); });
  }
}

size_t SampleWriter::drain(Source& source) {
  size_t n = source.channel->pop(batch_);
  for (size_t i = 0; i < n; ++i) {
    const metrics::SampleRecord& record = batch_[i];
    if (record.metric == metrics::kRetireMetadata) {
      take_metadata(source);  // it may be defined and retired without a sample between
      source.metadata.erase(record.metadata);
      continue;
    }
    if (record.tags >= source.tags.size()) {
      source.channel->take_tag_sets(source.defined);
      while (source.tags.size() < source.defined.size()) {
        CachedTags& cached = source.tags.emplace_back();
        cached.encoded = source.defined[source.tags.size() - 1];
        cached.rendered.resize(outputs_.size());
      }
      if (record.tags >= source.tags.size()) continue;  // never defined: a sink bug
    }
    if (record.metric >= catalog_->size()) continue;
    CachedTags& tags = source.tags[record.tags];
    std::string_view metadata;
    if (record.metadata != 0) {
      auto it = source.metadata.find(record.metadata);
      if (it == source.metadata.end()) {
        take_metadata(source);
        it = source.metadata.find(record.metadata);
      }
      if (it != source.metadata.end()) metadata = it->second;
    }
    for (size_t o = 0; o < outputs_.size(); ++o) {
      Sample sample{record.metric,
                    catalog_->def(record.metric),
                    unix_ns_at_hrtime_zero_ + static_cast<int64_t>(record.time_ns),
                    record.value,
                    tags.encoded,
                    tags.rendered[o],
                    metadata};
      outputs_[o]->add_sample(sample);
    }
  }
  return n;
}

void SampleWriter::take_metadata(Source& source) {
  defined_metadata_.clear();
  source.channel->take_metadata_sets(defined_metadata_);
  for (auto& [id, encoded] : defined_metadata_) source.metadata[id] = std::move(encoded);
}

}  // namespace lueng::output
