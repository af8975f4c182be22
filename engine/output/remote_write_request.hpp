#pragma once

#include <cstdint>
#include <span>
#include <string>

#include "engine/output/remote_write_series.hpp"

namespace lueng::output {

// The body of one remote write 1.0 request: a prometheus.WriteRequest
// (remote_write.proto) holding one sample per point (or the native histogram
// of `histograms` a point refers to), all at `timestamp_ms`,
// serialized by protobuf and compressed with snappy's block format, as the
// specification asks (Content-Encoding: snappy, Content-Type: application/x-protobuf).
std::string encode_write_request(std::span<const SeriesPoint> points, int64_t timestamp_ms,
                                 std::span<const NativeHistogram> histograms = {});

// The same points as Prometheus' stale markers (a NaN of its own, as a histogram's
// sum for a histogram series): the series end here instead of lingering for
// five minutes.
std::string encode_stale_markers(std::span<const SeriesPoint> points, int64_t timestamp_ms,
                                 std::span<const NativeHistogram> histograms = {});

}  // namespace lueng::output
