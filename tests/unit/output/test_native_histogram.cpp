// --out prometheus-rw with trendAsNativeHistogram: the schema-3 buckets samples
// fall in, their wire encoding (spans and deltas), and trends pushed as one
// histogram series named as k6 names it, in a WriteRequest Prometheus decodes.
#include <snappy.h>

#include <cmath>
#include <cstring>
#include <map>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "engine/metrics/tags.hpp"
#include "engine/output/native_histogram.hpp"
#include "engine/output/remote_write.pb.h"
#include "engine/output/remote_write_request.hpp"
#include "engine/output/remote_write_series.hpp"

using lueng::metrics::MetricDef;
using lueng::metrics::MetricType;
using lueng::output::CachedTags;
using lueng::output::NativeHistogram;
using lueng::output::RemoteWriteSeries;
using lueng::output::Sample;
using lueng::output::SeriesPoint;

TEST_CASE("native histogram: a value's bucket i runs from 2^((i-1)/8), excluded, to 2^(i/8)") {
  CHECK(NativeHistogram::bucket_index(1) == 0);
  CHECK(NativeHistogram::bucket_index(1.0001) == 1);
  CHECK(NativeHistogram::bucket_index(std::exp2(1 / 8.0)) == 1);  // a bound is its bucket's top
  CHECK(NativeHistogram::bucket_index(std::exp2(1 / 8.0) * 1.000001) == 2);
  CHECK(NativeHistogram::bucket_index(2) == 8);
  CHECK(NativeHistogram::bucket_index(0.5) == -8);
  CHECK(NativeHistogram::bucket_index(0.001) == -79);  // 2^(-80/8) < 0.001 <= 2^(-79/8)
  // Every value lies within its bucket's bounds.
  for (double v : {0.0003, 0.0123, 0.25, 0.7, 3.3, 17.0, 1234.5, 9e9}) {
    int32_t i = NativeHistogram::bucket_index(v);
    CHECK(std::exp2((i - 1) / 8.0) < v);
    CHECK(v <= std::exp2(i / 8.0) * (1 + 1e-12));
  }
}

TEST_CASE("native histogram: counts, sum, the zero bucket and negative values") {
  NativeHistogram h;
  for (double v : {1.0, 1.0, 1.05, -1.0, 0.0, 1e-40, 2.0}) h.add(v);
  h.add(std::nan(""));  // not a sample
  CHECK(h.count() == 7);
  CHECK(h.sum() == Approx(4.05));
  CHECK(h.zero_count() == 2);
  CHECK(h.positive() == std::map<int32_t, uint64_t>{{0, 2}, {1, 1}, {8, 1}});
  CHECK(h.negative() == std::map<int32_t, uint64_t>{{0, 1}});
}

TEST_CASE("native histogram: buckets as spans of consecutive indices and count deltas") {
  auto encoded = NativeHistogram::encode({{-3, 2}, {-2, 5}, {4, 1}, {5, 1}, {9, 4}});
  using Spans = std::vector<std::pair<int32_t, uint32_t>>;
  CHECK(encoded.spans == Spans{{-3, 2}, {5, 2}, {3, 1}});  // -3..-2, then 4..5, then 9
  CHECK(encoded.deltas == std::vector<int64_t>{2, 3, -4, 0, 3});
  CHECK(NativeHistogram::encode({}).spans.empty());
}

TEST_CASE("prometheus-rw with native histograms: a trend is one histogram series") {
  RemoteWriteSeries series({}, {}, 20000, true);
  std::map<std::string, CachedTags::Rendered> cache;
  auto add = [&](uint32_t id, const MetricDef& def, double value) {
    std::string tags = lueng::metrics::encode_tags({{"status", "200"}});
    series.add(Sample{id, def, 1, value, tags, cache[tags]});
  };
  const MetricDef duration{"http_req_duration", MetricType::kTrend, true};
  const MetricDef size{"cart_size", MetricType::kTrend, false};
  const MetricDef reqs{"http_reqs", MetricType::kCounter, false};
  for (int i = 1; i <= 100; ++i) add(1, duration, i);  // 1..100 ms
  add(2, size, 3);
  add(0, reqs, 1);

  std::vector<SeriesPoint> points;
  std::vector<NativeHistogram> histograms;
  REQUIRE(series.snapshot(points, histograms) == 3);
  REQUIRE(histograms.size() == 2);
  std::map<std::string, const NativeHistogram*> by_name;
  for (const auto& p : points)
    if (p.histogram >= 0) by_name[*p.name] = &histograms[static_cast<size_t>(p.histogram)];
  // k6's names: the base unit after a time trend's name, in seconds.
  REQUIRE(by_name.count("k6_http_req_duration_seconds"));
  REQUIRE(by_name.count("k6_cart_size"));
  CHECK(by_name["k6_http_req_duration_seconds"]->count() == 100);
  CHECK(by_name["k6_http_req_duration_seconds"]->sum() == Approx(5.05));
  CHECK(by_name["k6_cart_size"]->positive() ==
        std::map<int32_t, uint64_t>{{NativeHistogram::bucket_index(3), 1}});

  std::string body = lueng::output::encode_write_request(points, 1700000000123, histograms);
  std::string raw;
  REQUIRE(snappy::Uncompress(body.data(), body.size(), &raw));
  prometheus::WriteRequest request;
  REQUIRE(request.ParseFromString(raw));
  REQUIRE(request.timeseries_size() == 3);
  int histogram_series = 0;
  for (const auto& ts : request.timeseries()) {
    if (ts.histograms_size() == 0) {
      CHECK(ts.samples_size() == 1);  // the counter, as before
      continue;
    }
    ++histogram_series;
    CHECK(ts.samples_size() == 0);
    const prometheus::Histogram& h = ts.histograms(0);
    CHECK(h.schema() == 3);
    CHECK(h.timestamp() == 1700000000123);
    uint64_t in_buckets = 0;
    int64_t count = 0;
    for (int64_t delta : h.positive_deltas()) in_buckets += static_cast<uint64_t>(count += delta);
    CHECK(in_buckets + h.zero_count_int() == h.count_int());
    uint32_t length = 0;
    for (const auto& span : h.positive_spans()) length += span.length();
    CHECK(length == static_cast<uint32_t>(h.positive_deltas_size()));
  }
  CHECK(histogram_series == 2);

  std::string stale = lueng::output::encode_stale_markers(points, 1700000000124, histograms);
  REQUIRE(snappy::Uncompress(stale.data(), stale.size(), &raw));
  REQUIRE(request.ParseFromString(raw));
  for (const auto& ts : request.timeseries()) {
    double value = ts.histograms_size() ? ts.histograms(0).sum() : ts.samples(0).value();
    uint64_t bits;
    std::memcpy(&bits, &value, sizeof bits);
    CHECK(bits == 0x7ff0000000000002ull);  // Prometheus' stale marker, for both kinds
  }
}
