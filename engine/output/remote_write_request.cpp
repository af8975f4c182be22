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

std::string encode(std::span<const SeriesPoint> points, int64_t timestamp_ms, bool stale) {
  prometheus::WriteRequest request;
  for (const SeriesPoint& point : points) {
    prometheus::TimeSeries* series = request.add_timeseries();
    add_labels(*series, point);
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

std::string encode_write_request(std::span<const SeriesPoint> points, int64_t timestamp_ms) {
  return encode(points, timestamp_ms, false);
}

std::string encode_stale_markers(std::span<const SeriesPoint> points, int64_t timestamp_ms) {
  return encode(points, timestamp_ms, true);
}

}  // namespace lueng::output
