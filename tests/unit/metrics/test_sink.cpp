#include <catch2/catch.hpp>

#include <string>
#include <tuple>
#include <vector>

#include "engine/metrics/metric_set.hpp"
#include "engine/metrics/sink.hpp"
#include "engine/metrics/tags.hpp"

using namespace lueng::metrics;

TEST_CASE("tag sets encode canonically whatever the insertion order") {
  TagSetBuilder a, b;
  a.set("method", "GET");
  a.set("name", "/x");
  a.set("status", "200");
  b.set("status", "200");
  b.set("name", "/y");
  b.set("method", "GET");
  b.set("name", "/x");  // a later value replaces the earlier one
  CHECK(std::string(a.encode()) == std::string(b.encode()));
  std::vector<std::string> keys;
  for_each_tag(a.encode(), [&](std::string_view k, std::string_view) { keys.emplace_back(k); });
  CHECK(keys == std::vector<std::string>{"method", "name", "status"});
  std::string_view value;
  CHECK(find_tag(a.encode(), "name", &value));
  CHECK(value == "/x");
  CHECK_FALSE(find_tag(a.encode(), "group", &value));
}

TEST_CASE("sub-metric filters match tag subsets") {
  std::string tags = encode_tags({{"name", "/a"}, {"status", "200"}, {"method", "GET"}});
  CHECK(tags_match(tags, encode_tags({{"status", "200"}})));
  CHECK(tags_match(tags, encode_tags({{"status", "200"}, {"method", "GET"}})));
  CHECK_FALSE(tags_match(tags, encode_tags({{"status", "404"}})));
  CHECK_FALSE(tags_match(tags, encode_tags({{"group", "x"}})));
  CHECK(tags_match(tags, ""));
}

TEST_CASE("separators inside keys and values cannot split a tag set") {
  // A value with the tag separator once made every reader of the set loop forever
  // (lueng validate on such a result file never returned).
  std::string tags = encode_tags({{"name",
                                   "a\x1e"
                                   "b"},
                                  {"k\x1fx", "v"}});
  std::vector<std::pair<std::string, std::string>> seen;
  for_each_tag(tags, [&](std::string_view k, std::string_view v) { seen.emplace_back(k, v); });
  CHECK(seen == std::vector<std::pair<std::string, std::string>>{{"k\xEF\xBF\xBDx", "v"},
                                                                 {"name",
                                                                  "a\xEF\xBF\xBD"
                                                                  "b"}});
  CHECK(tags_match(tags, encode_tags({{"name",
                                       "a\x1e"
                                       "b"}})));
  CHECK_FALSE(tags_match(tags, encode_tags({{"name", "a"}})));
  // Text no builder makes ends the walk where it stops making sense.
  for (std::string_view bad : {"status=200", "a\x1fv",
                               "a\x1fv\x1e"
                               "b",
                               "\x1e\x1e"}) {
    size_t visits = 0;
    for_each_tag(bad, [&](std::string_view, std::string_view) { ++visits; });
    CHECK(visits <= 1);
    CHECK_FALSE(tags_match(bad, encode_tags({{"status", "200"}})));
  }
}

TEST_CASE("sinks aggregate per metric and tag set, and merge into a metric set") {
  MetricCatalog catalog;
  Sink one(catalog), two(catalog);
  auto ok = one.intern(encode_tags({{"status", "200"}}));
  auto bad = one.intern(encode_tags({{"status", "500"}}));
  for (int i = 0; i < 10; ++i) one.add(builtin::kHttpReqs, ok, 1, i);
  for (int i = 0; i < 3; ++i) one.add(builtin::kHttpReqFailed, bad, 1, i);
  one.add(builtin::kHttpReqFailed, ok, 0, 1);
  auto ok2 = two.intern(encode_tags({{"status", "200"}}));
  for (int i = 0; i < 5; ++i) two.add(builtin::kHttpReqs, ok2, 1, i);
  two.add(builtin::kHttpReqDuration, ok2, 12.5, 1);

  MetricSet set(catalog);
  set.merge(one);
  set.merge(two);
  const MetricData* reqs = set.find("http_reqs");
  REQUIRE(reqs);
  CHECK(reqs->total.sum == 15);
  CHECK(reqs->by_tags.size() == 1);
  const MetricData* failed = set.find("http_req_failed");
  CHECK(failed->total.count == 4);
  CHECK(failed->total.rate() == Approx(0.75));
  CHECK(set.filtered(*failed, encode_tags({{"status", "500"}})).rate() == 1.0);
  CHECK(set.find("http_req_duration")->total.trend.count() == 1);
}

TEST_CASE("tag cardinality is bounded and folds into one overflow series") {
  MetricCatalog catalog;
  Sink sink(catalog, 3);
  for (int i = 0; i < 10; ++i) {
    auto id = sink.intern(encode_tags({{"name", "/item/" + std::to_string(i)}}));
    sink.add(builtin::kHttpReqs, id, 1, 0);
  }
  CHECK(sink.overflowed_tag_sets() == 7);
  MetricSet set(catalog);
  set.merge(sink);
  const auto& by_tags = set.find("http_reqs")->by_tags;
  CHECK(by_tags.size() == 4);
  CHECK(by_tags.at(std::string(Sink::kOverflowTags)).sum == 7);
}

TEST_CASE("gauges keep the latest value across merges, counters add, custom metrics register") {
  MetricCatalog catalog;
  std::string error;
  auto id = catalog.add("queue_depth", MetricType::kGauge, false, &error);
  REQUIRE(id);
  CHECK(catalog.add("queue_depth", MetricType::kGauge, false, &error) == id);
  CHECK_FALSE(catalog.add("queue_depth", MetricType::kCounter, false, &error));
  CHECK(error.find("already exists") != std::string::npos);
  CHECK_FALSE(catalog.add("9lives", MetricType::kCounter, false, &error));
  Aggregate a, b;
  a.add(MetricType::kGauge, 5, 100);
  b.add(MetricType::kGauge, 2, 200);
  a.merge(MetricType::kGauge, b);
  CHECK(a.last == 2);
  CHECK(a.min == 2);
  CHECK(a.max == 5);
}

TEST_CASE("a sample is aggregated without streaming, or streamed without aggregating") {
  MetricCatalog catalog;
  Sink sink(catalog);
  SampleChannel channel(16);
  CHECK_FALSE(sink.streams());
  sink.stream_to(&channel);
  CHECK(sink.streams());
  TagSetId request = sink.intern(encode_tags({{"name", "/a"}}));
  TagSetId iteration = sink.intern(encode_tags({{"group", ""}}));
  // data_received: by request in the aggregates, per iteration in the stream.
  sink.add_unstreamed(builtin::kDataReceived, request, 100, 1);
  sink.add_unstreamed(builtin::kDataReceived, request, 50, 2);
  sink.stream_only(builtin::kDataReceived, iteration, 150, 3);
  SampleRecord out[4];
  REQUIRE(channel.pop(out) == 1);
  CHECK((out[0].tags == iteration && out[0].value == 150));
  std::vector<std::pair<std::string, double>> aggregated;
  sink.for_each([&](MetricId, std::string_view tags, const Aggregate& a) {
    aggregated.emplace_back(std::string(tags), a.sum);
  });
  CHECK(aggregated ==
        std::vector<std::pair<std::string, double>>{{encode_tags({{"name", "/a"}}), 150}});
}

namespace {

// Every aggregate of a sink, in the order for_each visits them.
std::vector<std::tuple<MetricId, std::string, uint64_t, double, uint64_t, Histogram>> contents(
    const Sink& sink) {
  std::vector<std::tuple<MetricId, std::string, uint64_t, double, uint64_t, Histogram>> all;
  sink.for_each([&](MetricId metric, std::string_view tags, const Aggregate& a) {
    all.emplace_back(metric, std::string(tags), a.count, a.sum, a.nonzero, a.trend);
  });
  return all;
}

// One request's samples the way record_http made them before add_http: one add
// per metric.
void add_one_by_one(Sink& sink, TagSetId tags, const HttpRequestSample& s, uint64_t time_ns) {
  using namespace builtin;
  sink.add(kHttpReqs, tags, 1, time_ns);
  sink.add(kHttpReqDuration, tags, s.duration, time_ns);
  sink.add(kHttpReqBlocked, tags, s.blocked, time_ns);
  sink.add(kHttpReqConnecting, tags, s.connecting, time_ns);
  sink.add(kHttpReqTlsHandshaking, tags, s.tls_handshaking, time_ns);
  sink.add(kHttpReqSending, tags, s.sending, time_ns);
  sink.add(kHttpReqWaiting, tags, s.waiting, time_ns);
  sink.add(kHttpReqReceiving, tags, s.receiving, time_ns);
  if (s.judged) sink.add(kHttpReqFailed, tags, s.failed ? 1 : 0, time_ns);
  sink.add_unstreamed(kDataSent, tags, s.bytes_sent, time_ns);
  sink.add_unstreamed(kDataReceived, tags, s.bytes_received, time_ns);
}

}  // namespace

TEST_CASE("a request's samples added at once aggregate exactly as added one by one") {
  MetricCatalog catalog;
  for (bool tracked : {false, true}) {
    Sink fused(catalog), single(catalog);
    if (tracked) {
      fused.track(builtin::kHttpReqWaiting, encode_tags({{"name", "/a"}}));
      single.track(builtin::kHttpReqWaiting, encode_tags({{"name", "/a"}}));
    }
    TagSetId a = fused.intern(encode_tags({{"name", "/a"}}));
    TagSetId b = fused.intern(encode_tags({{"name", "/b"}}));
    REQUIRE(single.intern(encode_tags({{"name", "/a"}})) == a);
    REQUIRE(single.intern(encode_tags({{"name", "/b"}})) == b);
    for (int i = 0; i < 500; ++i) {
      double v = 0.013 * i;
      // Reused connections (zero blocked, connecting, handshake), a new one now
      // and then, judged and unjudged responses, failures, zero receiving times.
      HttpRequestSample s{v + 0.5,
                          i % 50 == 0 ? 0.2 : 0.0,
                          i % 50 == 0 ? 0.1 : 0.0,
                          i % 100 == 0 ? 0.3 : 0.0,
                          0.01 * (i % 7),
                          v,
                          i % 3 ? 0.0 : v / 3,
                          120.0 + i,
                          900.0 - i,
                          i % 4 != 0,
                          i % 9 == 0};
      TagSetId tags = i % 5 ? a : b;
      fused.add_http(tags, s, 1000 + i, 0);
      add_one_by_one(single, tags, s, 1000 + i);
    }
    CHECK(contents(fused) == contents(single));
    CHECK(contents(fused).size() == 22);  // 11 metrics of 2 tag sets
    if (tracked) {
      CHECK(fused.tracked()[0].aggregate.count == 400);
      CHECK(fused.tracked()[0].aggregate.trend == single.tracked()[0].aggregate.trend);
    }
  }
}

TEST_CASE("a request's samples reach the stream one by one") {
  MetricCatalog catalog;
  Sink sink(catalog);
  SampleChannel channel(64);
  sink.stream_to(&channel);
  TagSetId a = sink.intern(encode_tags({{"name", "/a"}}));
  sink.add_http(a, {1, 0, 0, 0, 0.1, 0.8, 0.1, 100, 200, true, false}, 5, 0);
  SampleRecord out[16];
  // Nine streamed (data_sent and data_received go per iteration), each aggregated too.
  REQUIRE(channel.pop(out) == 9);
  CHECK(out[0].metric == builtin::kHttpReqs);
  CHECK(out[8].metric == builtin::kHttpReqFailed);
  CHECK(contents(sink).size() == 11);
}
