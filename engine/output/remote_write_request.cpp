// Encodes --out prometheus-rw's pushes with Debian's protobuf and snappy.

#include "engine/output/remote_write_request.hpp"

#include <snappy.h>

#include <bit>

#include "engine/output/remote_write.pb.h"

namespace lueng::output {

namespace {

// Prometheus' stale marker (model/value.StaleNaN): a NaN with this exact bit pattern.
constexpr uint64_t kStaleNaN = 0x7ff0000000000002ull;

void add_labels(prometheus::TimeSeries& series, const SeriesPoint& point) {
  const LabelSet& set = *point.labels;
  for (size_t i = 0; i <= set.labels.size(); ++i) {
    if (i == set.name_at) {
      prometheus::Label* name = series.add_labels();
      name->set_name("__name__");
      name->set_value(*point.name);
    }
    if (i == set.labels.size()) break;
    prometheus::Label* label = series.add_labels();
    label->set_name(set.labels[i].first);
    label->set_value(set.labels[i].second);
  }
}

void add_buckets(const std::map<int32_t, uint64_t>& buckets,
                 google::protobuf::RepeatedPtrField<prometheus::BucketSpan>* spans,
                 google::protobuf::RepeatedField<int64_t>* deltas) {
  NativeHistogram::Spans encoded = NativeHistogram::encode(buckets);
  for (const auto& [offset, length] : encoded.spans) {
    prometheus::BucketSpan* span = spans->Add();
    span->set_offset(offset);
    span->set_length(length);
  }
  deltas->Add(encoded.deltas.begin(), encoded.deltas.end());
}

void add_histogram(prometheus::TimeSeries& series, const NativeHistogram& h, int64_t timestamp_ms,
                   bool stale) {
  prometheus::Histogram* out = series.add_histograms();
  out->set_timestamp(timestamp_ms);
  out->set_schema(NativeHistogram::kSchema);
  out->set_zero_threshold(NativeHistogram::kZeroThreshold);
  if (stale) {
    out->set_sum(std::bit_cast<double>(kStaleNaN));
    out->set_count_int(0);
    out->set_zero_count_int(0);
    return;
  }
  out->set_count_int(h.count());
  out->set_sum(h.sum());
  out->set_zero_count_int(h.zero_count());
  add_buckets(h.positive(), out->mutable_positive_spans(), out->mutable_positive_deltas());
  add_buckets(h.negative(), out->mutable_negative_spans(), out->mutable_negative_deltas());
}

std::string encode(std::span<const SeriesPoint> points, int64_t timestamp_ms, bool stale,
                   std::span<const NativeHistogram> histograms) {
  prometheus::WriteRequest request;
  for (const SeriesPoint& point : points) {
    prometheus::TimeSeries* series = request.add_timeseries();
    add_labels(*series, point);
    if (point.histogram >= 0 && static_cast<size_t>(point.histogram) < histograms.size()) {
      add_histogram(*series, histograms[static_cast<size_t>(point.histogram)], timestamp_ms, stale);
      continue;
    }
    prometheus::Sample* sample = series->add_samples();
    sample->set_value(stale ? std::bit_cast<double>(kStaleNaN) : point.value);
    sample->set_timestamp(timestamp_ms);
  }
  std::string serialized = request.SerializeAsString();
  std::string compressed;
  snappy::Compress(serialized.data(), serialized.size(), &compressed);
  return compressed;
}

}  // namespace

std::string encode_write_request(std::span<const SeriesPoint> points, int64_t timestamp_ms,
                                 std::span<const NativeHistogram> histograms) {
  return encode(points, timestamp_ms, false, histograms);
}

std::string encode_stale_markers(std::span<const SeriesPoint> points, int64_t timestamp_ms,
                                 std::span<const NativeHistogram> histograms) {
  return encode(points, timestamp_ms, true, histograms);
}

}  // namespace lueng::output
