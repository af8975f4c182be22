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

// What one HTTP request records: k6's http metrics and its bytes.
struct HttpRequestSample {
  double duration, blocked, connecting, tls_handshaking, sending, waiting, receiving;
  double bytes_sent, bytes_received;
  bool judged;  // http_req_failed is recorded only for a judged response
  bool failed;
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
  // Inline: an http request records eleven samples. `metadata` reaches the
  // streaming outputs only (intern_metadata()).
  void add(MetricId metric, TagSetId tags, double value, uint64_t time_ns,
           MetadataId metadata = 0) {
    if (stream_) [[unlikely]]
      stream_->push(metric, tags, value, time_ns, metadata);
    add_unstreamed(metric, tags, value, time_ns);
  }
  // The eleven samples of one request (http_reqs, the seven http_req_* trends,
  // http_req_failed when judged, data_sent and data_received unstreamed), as
  // add() and add_unstreamed() would record them. Inline, with the row found
  // once and the built-in types known: unless something streams or tracks
  // them, which takes the general path.
  void add_http(TagSetId tags, const HttpRequestSample& s, uint64_t time_ns, MetadataId metadata) {
    if (stream_ || http_tracked_) [[unlikely]] {
      add_http_generally(tags, s, time_ns, metadata);
      return;
    }
    Aggregate** row = &slots_[static_cast<size_t>(tags) * metric_count_];
    auto at = [&](MetricId metric) -> Aggregate& {
      Aggregate*& slot = row[metric];
      if (!slot) [[unlikely]]
        slot = &aggregates_.emplace_back();
      return *slot;
    };
    auto counter = [&](MetricId metric, double value) {
      Aggregate& a = at(metric);
      ++a.count;
      a.sum += value;
    };
    auto trend = [&](MetricId metric, double value) {
      Aggregate& a = at(metric);
      ++a.count;
      a.trend.add(value);
    };
    counter(builtin::kHttpReqs, 1);
    trend(builtin::kHttpReqDuration, s.duration);
    trend(builtin::kHttpReqBlocked, s.blocked);
    trend(builtin::kHttpReqConnecting, s.connecting);
    trend(builtin::kHttpReqTlsHandshaking, s.tls_handshaking);
    trend(builtin::kHttpReqSending, s.sending);
    trend(builtin::kHttpReqWaiting, s.waiting);
    trend(builtin::kHttpReqReceiving, s.receiving);
    if (s.judged) {
      Aggregate& a = at(builtin::kHttpReqFailed);
      ++a.count;
      if (s.failed) ++a.nonzero;
    }
    counter(builtin::kDataSent, s.bytes_sent);
    counter(builtin::kDataReceived, s.bytes_received);
  }

  // A new metadata set (encoded as a tag set is) for add(): 0 when empty or
  // when nothing streams, where metadata has nowhere to go. Retire it once no
  // sample will carry it any more.
  MetadataId define_metadata(std::string_view encoded);
  void retire_metadata(MetadataId id) {
    if (stream_ && id != 0) stream_->push(kRetireMetadata, 0, 0, 0, id);
  }
  // A sample the result model and the streaming outputs see apart: recorded
  // here only, or streamed only (data_sent and data_received are aggregated per
  // request, with the request's tags, and streamed per iteration, as k6 emits them).
  bool streams() const { return stream_ != nullptr; }
  void stream_only(MetricId metric, TagSetId tags, double value, uint64_t time_ns,
                   MetadataId metadata = 0) {
    if (stream_) stream_->push(metric, tags, value, time_ns, metadata);
  }
  void add_unstreamed(MetricId metric, TagSetId tags, double value, uint64_t time_ns) {
    Aggregate*& slot = slots_[static_cast<size_t>(tags) * metric_count_ + metric];
    if (!slot) [[unlikely]]
      slot = &aggregates_.emplace_back();
    slot->add(types_[metric], value, time_ns);
    if (metric_tracked_[metric]) [[unlikely]]
      add_tracked(metric, tags, value, time_ns);
  }

  // Also hands every sample to `channel` (an output streaming samples); call
  // before the first intern(). Without one, recording costs one branch more.
  void stream_to(SampleChannel* channel) { stream_ = channel; }

  const MetricCatalog& catalog() const { return catalog_; }
  // Whether a tag set is one the cardinality bound folded new tag sets into.
  bool folded(TagSetId tags) const { return tag_sets_[tags] == kOverflowTags; }
  // Number of distinct tag sets refused by the cardinality bound.
  uint64_t overflowed_tag_sets() const { return overflowed_; }

  // Visits every (metric, tag set, aggregate) recorded so far.
  template <typename Visit>
  void for_each(Visit&& visit) const {
    for (size_t t = 0; t < tag_sets_.size(); ++t)
      for (size_t m = 0; m < metric_count_; ++m)
        if (const Aggregate* aggregate = slots_[t * metric_count_ + m])
          visit(static_cast<MetricId>(m), std::string_view(tag_sets_[t]), *aggregate);
  }

  static constexpr std::string_view kOverflowTags = "name\x1f(other)\x1e";

 private:
  const MetricCatalog& catalog_;
  // The catalog is complete when a sink is made; these copies spare add() a
  // size computation and a definition lookup per sample.
  const size_t metric_count_;
  std::vector<MetricType> types_;  // [metric]
  size_t max_tag_sets_;
  std::unordered_map<std::string, TagSetId, StringHash, std::equal_to<>> ids_;
  std::vector<std::string> tag_sets_;
  std::vector<Aggregate*> slots_;     // [tag set * metrics + metric] -> into aggregates_, or null
  std::deque<Aggregate> aggregates_;  // a deque: growing it moves no aggregate
  uint64_t overflowed_ = 0;
  std::vector<TrackedMetric> tracked_;
  std::vector<uint8_t> metric_tracked_;             // [metric] -> some tracked entry is of it
  std::vector<std::vector<uint32_t>> tag_matches_;  // [tag set] -> tracked entries it matches
  SampleChannel* stream_ = nullptr;
  MetadataId last_metadata_ = 0;
  std::vector<uint32_t> matches_;  // scratch of intern()
  std::string overflow_key_;       // scratch of intern()

  TagSetId add_tag_set(std::string_view stored, std::string_view key);
  void add_tracked(MetricId metric, TagSetId tags, double value, uint64_t time_ns);
  void add_http_generally(TagSetId tags, const HttpRequestSample& s, uint64_t time_ns,
                          MetadataId metadata);
  bool http_tracked_ = false;  // a tracked sub-metric is of one of add_http()'s metrics
};

}  // namespace lueng::metrics
