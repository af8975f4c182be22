#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <thread>
#include <unordered_map>
#include <vector>

#include "engine/metrics/metric.hpp"
#include "engine/metrics/sample_channel.hpp"
#include "engine/output/output.hpp"

namespace lueng::output {

// The thread that takes samples off the recording threads and hands them to the
// outputs that stream them. Every recording thread (a worker, setup, teardown,
// the main thread's VU gauge) gets a channel of its own; the writer drains them
// all, so file formatting, compression and disk writes stay off the event loops.
class SampleWriter {
 public:
  static constexpr size_t kChannelCapacity = 1 << 16;  // samples per recording thread

  explicit SampleWriter(std::vector<Output*> outputs, size_t channel_capacity = kChannelCapacity);
  ~SampleWriter();
  SampleWriter(const SampleWriter&) = delete;
  SampleWriter& operator=(const SampleWriter&) = delete;

  // Starts the thread. The catalog must stay unchanged until stop().
  void start(const metrics::MetricCatalog& catalog);
  // Any thread, before its first sample: a channel for one recording thread.
  // It stays valid until the writer is destroyed.
  metrics::SampleChannel* open_channel();
  // Once every recording thread is done: delivers what is queued, stops the
  // thread and returns the number of samples dropped on full channels.
  uint64_t stop();

 private:
  struct Source {
    std::unique_ptr<metrics::SampleChannel> channel;
    std::vector<std::string> defined;  // tag sets as defined so far (writer thread)
    std::vector<CachedTags> tags;      // [tag set id] (writer thread)
    // Metadata sets in use, from their definition to their retirement (writer thread).
    std::unordered_map<metrics::MetadataId, std::string> metadata;
  };
  void take_metadata(Source& source);

  void run();
  size_t drain(Source& source);

  std::vector<Output*> outputs_;
  size_t channel_capacity_;
  const metrics::MetricCatalog* catalog_ = nullptr;
  std::thread thread_;
  std::vector<std::pair<metrics::MetadataId, std::string>> defined_metadata_;  // scratch
  std::mutex mutex_;  // guards sources_ (the list, not the channels) and wakes the thread
  std::condition_variable wake_;
  std::vector<std::unique_ptr<Source>> sources_;
  std::atomic<bool> stopping_{false};
  std::vector<metrics::SampleRecord> batch_;
  // Wall clock of uv_hrtime() 0, fixed when the writer starts.
  int64_t unix_ns_at_hrtime_zero_ = 0;
};

}  // namespace lueng::output
