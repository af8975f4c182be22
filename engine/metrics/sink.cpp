#include "engine/metrics/sink.hpp"

#include <charconv>
#include <stdexcept>

#include "engine/metrics/tags.hpp"

namespace lueng::metrics {

Sink::Sink(const MetricCatalog& catalog, size_t max_tag_sets)
    : catalog_(catalog),
      metric_count_(catalog.size()),
      max_tag_sets_(max_tag_sets),
      metric_tracked_(catalog.size(), 0) {
  types_.reserve(metric_count_);
  for (size_t m = 0; m < metric_count_; ++m)
    types_.push_back(catalog.def(static_cast<MetricId>(m)).type);
  // add_http() writes these as the types the catalog gives them.
  using namespace builtin;
  for (MetricId counter : {kHttpReqs, kDataSent, kDataReceived})
    if (types_.at(counter) != MetricType::kCounter)
      throw std::logic_error("add_http: not a counter");
  for (MetricId trend :
       {kHttpReqDuration, kHttpReqBlocked, kHttpReqConnecting, kHttpReqTlsHandshaking,
        kHttpReqSending, kHttpReqWaiting, kHttpReqReceiving})
    if (types_.at(trend) != MetricType::kTrend) throw std::logic_error("add_http: not a trend");
  if (types_.at(kHttpReqFailed) != MetricType::kRate)
    throw std::logic_error("add_http: not a rate");
}

void Sink::add_http_generally(TagSetId tags, const HttpRequestSample& s, uint64_t time_ns,
                              MetadataId metadata) {
  using namespace builtin;
  add(kHttpReqs, tags, 1, time_ns, metadata);
  add(kHttpReqDuration, tags, s.duration, time_ns, metadata);
  add(kHttpReqBlocked, tags, s.blocked, time_ns, metadata);
  add(kHttpReqConnecting, tags, s.connecting, time_ns, metadata);
  add(kHttpReqTlsHandshaking, tags, s.tls_handshaking, time_ns, metadata);
  add(kHttpReqSending, tags, s.sending, time_ns, metadata);
  add(kHttpReqWaiting, tags, s.waiting, time_ns, metadata);
  add(kHttpReqReceiving, tags, s.receiving, time_ns, metadata);
  if (s.judged) add(kHttpReqFailed, tags, s.failed ? 1 : 0, time_ns, metadata);
  add_unstreamed(kDataSent, tags, s.bytes_sent, time_ns);
  add_unstreamed(kDataReceived, tags, s.bytes_received, time_ns);
}

size_t Sink::track(MetricId metric, std::string filter) {
  for (size_t i = 0; i < tracked_.size(); ++i)
    if (tracked_[i].metric == metric && tracked_[i].filter == filter) return i;
  tracked_.push_back({metric, std::move(filter), {}});
  metric_tracked_[metric] = 1;
  using namespace builtin;
  if (metric <= kHttpReqFailed || metric == kDataSent || metric == kDataReceived)
    http_tracked_ = true;
  return tracked_.size() - 1;
}

TagSetId Sink::intern(std::string_view encoded_tags) {
  if (auto it = ids_.find(encoded_tags); it != ids_.end()) return it->second;
  matches_.clear();
  for (size_t i = 0; i < tracked_.size(); ++i)
    if (tags_match(encoded_tags, tracked_[i].filter)) matches_.push_back(static_cast<uint32_t>(i));
  if (tag_sets_.size() < max_tag_sets_) return add_tag_set(encoded_tags, encoded_tags);

  // Folded tag sets share one "other" set per combination of tracked sub-metrics
  // they match, so tracked sub-metrics stay exact. The key is built in a reused
  // buffer: a folded sample allocates nothing once its set exists.
  ++overflowed_;
  overflow_key_.assign(kOverflowTags);
  for (uint32_t match : matches_) {
    char digits[12];
    auto end = std::to_chars(digits, digits + sizeof digits, match).ptr;
    overflow_key_.push_back('\x1d');
    overflow_key_.append(digits, end);
  }
  if (auto it = ids_.find(overflow_key_); it != ids_.end()) return it->second;
  return add_tag_set(kOverflowTags, overflow_key_);
}

MetadataId Sink::define_metadata(std::string_view encoded) {
  if (!stream_ || encoded.empty()) return 0;
  if (++last_metadata_ == 0) ++last_metadata_;  // 0 is none, also after 2^32 sets
  MetadataId id = last_metadata_;
  stream_->define_metadata(id, encoded);
  return id;
}

TagSetId Sink::add_tag_set(std::string_view stored, std::string_view key) {
  auto id = static_cast<TagSetId>(tag_sets_.size());
  tag_sets_.emplace_back(stored);
  if (stream_) stream_->define_tags(id, stored);
  ids_.emplace(std::string(key), id);
  slots_.resize(slots_.size() + metric_count_, nullptr);
  tag_matches_.push_back(matches_);
  return id;
}

void Sink::add_tracked(MetricId metric, TagSetId tags, double value, uint64_t time_ns) {
  for (uint32_t i : tag_matches_[tags])
    if (tracked_[i].metric == metric) tracked_[i].aggregate.add(types_[metric], value, time_ns);
}

}  // namespace lueng::metrics
