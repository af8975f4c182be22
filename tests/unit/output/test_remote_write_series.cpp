#include <snappy.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include <catch2/catch.hpp>

#include "engine/metrics/tags.hpp"
#include "engine/output/remote_write.pb.h"
#include "engine/output/remote_write_request.hpp"
#include "engine/output/remote_write_series.hpp"

using lueng::metrics::encode_tags;
using lueng::metrics::MetricDef;
using lueng::metrics::MetricType;
using lueng::output::CachedTags;
using lueng::output::encode_stale_markers;
using lueng::output::encode_write_request;
using lueng::output::parse_trend_stats;
using lueng::output::prometheus_label_name;
using lueng::output::RemoteWriteSeries;
using lueng::output::Sample;
using lueng::output::SeriesPoint;
using lueng::output::TrendStat;
using lueng::output::valid_utf8;

namespace {

using Tags = std::vector<std::pair<std::string, std::string>>;

// Feeds samples as the writer thread does: one cache entry per tag set.
struct Feeder {
  RemoteWriteSeries& series;
  std::map<std::string, CachedTags::Rendered> cache;

  void add(uint32_t id, const MetricDef& def, double value, const Tags& tags, int64_t ns = 1) {
    std::string encoded = encode_tags(tags);
    series.add(Sample{id, def, ns, value, encoded, cache[encoded]});
  }
};

std::vector<TrendStat> stats(const char* text) {
  std::vector<TrendStat> parsed;
  REQUIRE(parse_trend_stats(text, &parsed) == "");
  return parsed;
}

// name{label="value",...} of a point, labels in the order sent.
std::string describe(const SeriesPoint& point) {
  std::string text = *point.name + "{";
  for (const auto& [name, value] : point.labels->labels) text += name + "=" + value + ",";
  return text + "}";
}

std::map<std::string, double> by_description(const std::vector<SeriesPoint>& points) {
  std::map<std::string, double> out;
  for (const auto& point : points) out[describe(point)] = point.value;
  return out;
}

const MetricDef kReqs{"http_reqs", MetricType::kCounter, false};
const MetricDef kDuration{"http_req_duration", MetricType::kTrend, true};
const MetricDef kFailed{"http_req_failed", MetricType::kRate, false};
const MetricDef kVus{"vus", MetricType::kGauge, false};
const MetricDef kCustom{"cart_size", MetricType::kTrend, false};

}  // namespace

TEST_CASE("prometheus-rw series: k6's names and cumulative values per tag set") {
  RemoteWriteSeries series({}, stats("p(50),max,count"));
  Feeder feed{series, {}};
  Tags get = {{"method", "GET"}, {"status", "200"}};
  Tags post = {{"method", "POST"}, {"status", "201"}};
  for (int i = 1; i <= 100; ++i) {
    feed.add(0, kReqs, 1, get);
    feed.add(1, kDuration, i, get);  // 1..100 ms
    feed.add(8, kFailed, i % 4 == 0 ? 1 : 0, get);
  }
  feed.add(0, kReqs, 1, post);
  feed.add(12, kVus, 3, {}, 10);
  feed.add(12, kVus, 5, {}, 20);
  feed.add(30, kCustom, 7, get);

  std::vector<SeriesPoint> points;
  std::vector<lueng::output::NativeHistogram> histograms;
  CHECK(series.snapshot(points, histograms) ==
        10);  // 2 counters, 3 + 3 trend stats, a rate, a gauge
  auto values = by_description(points);
  CHECK(values.at("k6_http_reqs_total{method=GET,status=200,}") == 100);
  CHECK(values.at("k6_http_reqs_total{method=POST,status=201,}") == 1);
  CHECK(values.at("k6_http_req_failed_rate{method=GET,status=200,}") == 0.25);
  CHECK(values.at("k6_vus{}") == 5);
  // Time trends in seconds, as Prometheus' base unit; a count stays a count.
  CHECK(values.at("k6_http_req_duration_p50{method=GET,status=200,}") ==
        Approx(0.0505).epsilon(0.01));
  CHECK(values.at("k6_http_req_duration_max{method=GET,status=200,}") == Approx(0.1));
  CHECK(values.at("k6_http_req_duration_count{method=GET,status=200,}") == 100);
  CHECK(values.at("k6_cart_size_max{method=GET,status=200,}") == 7);

  // Cumulative: a later snapshot includes what came before.
  feed.add(0, kReqs, 2, get);
  series.snapshot(points, histograms);
  CHECK(by_description(points).at("k6_http_reqs_total{method=GET,status=200,}") == 102);
}

TEST_CASE("prometheus-rw series: tags become valid, sorted labels with the extra ones") {
  RemoteWriteSeries series({{"testid", "nightly"}, {"method", "ignored"}}, stats("max"));
  Feeder feed{series, {}};
  feed.add(0, kReqs, 1,
           {{"test-type", "load"},
            {"group", ""},
            {"method", "GET"},
            {"9lives", "x"},
            {"__name__", "sneaky"},
            {"name", "bad\xff"}});
  std::vector<SeriesPoint> points;
  std::vector<lueng::output::NativeHistogram> histograms;
  REQUIRE(series.snapshot(points, histograms) == 1);
  const auto& labels = points[0].labels->labels;
  using Pairs = std::vector<std::pair<std::string, std::string>>;
  CHECK(labels == Pairs{{"_9lives", "x"},
                        {"method", "GET"},  // the tag wins over the extra label
                        {"name", "bad\xEF\xBF\xBD"},
                        {"tag___name__", "sneaky"},
                        {"test_type", "load"},
                        {"testid", "nightly"}});
  CHECK(points[0].labels->name_at == 1);  // "__name__" sorts after "_9lives"
}

TEST_CASE("prometheus-rw series: tag sets past the bound fold into name=(other)") {
  RemoteWriteSeries series({}, stats("max"), 3);
  Feeder feed{series, {}};
  for (int i = 0; i < 10; ++i) feed.add(0, kReqs, 1, {{"name", "u" + std::to_string(i)}});
  std::vector<SeriesPoint> points;
  std::vector<lueng::output::NativeHistogram> histograms;
  series.snapshot(points, histograms);
  auto values = by_description(points);
  CHECK(values.size() == 4);
  CHECK(values.at("k6_http_reqs_total{name=(other),}") == 7);
  CHECK(series.folded_tag_sets() == 7);
}

TEST_CASE("prometheus-rw: label names and UTF-8 as Prometheus accepts them") {
  CHECK(prometheus_label_name("expected_response") == "expected_response");
  CHECK(prometheus_label_name("a.b-c d") == "a_b_c_d");
  CHECK(prometheus_label_name("1st") == "_1st");
  CHECK(prometheus_label_name("__meta") == "tag___meta");
  CHECK(valid_utf8("caf\xC3\xA9") == "caf\xC3\xA9");
  CHECK(valid_utf8("\xC0\xAF") == "\xEF\xBF\xBD\xEF\xBF\xBD");                  // overlong '/'
  CHECK(valid_utf8("\xED\xA0\x80") == "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");  // a surrogate
  CHECK(valid_utf8("\xF0\x9F\x98\x80") == "\xF0\x9F\x98\x80");
}

TEST_CASE("prometheus-rw: a push is a snappy-compressed WriteRequest with sorted labels") {
  RemoteWriteSeries series({}, stats("p(99)"));
  Feeder feed{series, {}};
  feed.add(0, kReqs, 1, {{"status", "200"}, {"Zone", "A"}, {"_x", "y"}});
  feed.add(1, kDuration, 250, {{"status", "200"}});
  std::vector<SeriesPoint> points;
  std::vector<lueng::output::NativeHistogram> histograms;
  series.snapshot(points, histograms);
  std::string body = encode_write_request(points, 1700000000123);

  std::string raw;
  REQUIRE(snappy::Uncompress(body.data(), body.size(), &raw));
  prometheus::WriteRequest request;
  REQUIRE(request.ParseFromString(raw));
  REQUIRE(request.timeseries_size() == 2);
  std::map<std::string, std::vector<std::string>> names;
  for (const auto& ts : request.timeseries()) {
    std::vector<std::string> labels;
    for (const auto& label : ts.labels()) labels.push_back(label.name() + "=" + label.value());
    REQUIRE(ts.samples_size() == 1);
    CHECK(ts.samples(0).timestamp() == 1700000000123);
    CHECK(std::is_sorted(labels.begin(), labels.end()));
    for (const auto& label : labels)
      if (label.starts_with("__name__=")) names[label] = labels;
  }
  CHECK(names.at("__name__=k6_http_reqs_total") ==
        std::vector<std::string>{"Zone=A", "__name__=k6_http_reqs_total", "_x=y", "status=200"});
  CHECK(names.at("__name__=k6_http_req_duration_p99") ==
        std::vector<std::string>{"__name__=k6_http_req_duration_p99", "status=200"});

  std::string stale = encode_stale_markers(points, 1700000000124);
  REQUIRE(snappy::Uncompress(stale.data(), stale.size(), &raw));
  REQUIRE(request.ParseFromString(raw));
  double value = request.timeseries(0).samples(0).value();
  CHECK(std::isnan(value));
  uint64_t bits;
  std::memcpy(&bits, &value, sizeof bits);
  CHECK(bits == 0x7ff0000000000002ull);
}

TEST_CASE("prometheus-rw series: snapshots taken while the writer adds see whole numbers") {
  RemoteWriteSeries series({}, stats("max"));
  Feeder feed{series, {}};
  constexpr int kSamples = 20000;
  std::thread writer([&] {
    for (int i = 0; i < kSamples; ++i) {
      feed.add(0, kReqs, 1, {{"name", "u" + std::to_string(i % 50)}});
      feed.add(1, kDuration, i % 100, {{"name", "u" + std::to_string(i % 50)}});
    }
  });
  std::vector<SeriesPoint> points;
  std::vector<lueng::output::NativeHistogram> histograms;
  double last_total = 0;
  for (int round = 0; round < 200; ++round) {
    series.snapshot(points, histograms);
    double total = 0;
    for (const auto& point : points)
      if (*point.name == "k6_http_reqs_total") total += point.value;
    CHECK(total >= last_total);  // counters only grow
    last_total = total;
  }
  writer.join();
  series.snapshot(points, histograms);
  double total = 0;
  for (const auto& point : points)
    if (*point.name == "k6_http_reqs_total") total += point.value;
  CHECK(total == kSamples);
  CHECK(points.size() == 100);  // 50 tag sets, a counter and a trend stat each
}
