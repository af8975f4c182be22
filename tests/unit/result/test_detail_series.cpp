// The per-endpoint and per-custom-metric series of the result file
// (docs/results.md): written and read back as the same model, malformed ones
// refused by name, and merged across instances aligned by second.
#include <catch2/catch.hpp>

#include <cstring>

#include "engine/result/detail_series_merge.hpp"
#include "engine/result/result_file.hpp"
#include "engine/result/result_reader.hpp"

using namespace lueng;
using metrics::MetricType;

namespace {

result::RunResult with_series() {
  result::RunResult run;
  run.script = "load.lua";
  run.endpoint_series.push_back(
      {"GET", "availability", {{0, 10, 1, 2.5, 4, 6, 7.5}, {2, 4, 0, 3, 3.5, 3.9, 4}}});
  run.endpoint_series.push_back({"", result::kOtherEndpoint, {{1, 1, 1, 9, 9, 9, 9}}});
  run.metric_series.push_back({"bookings", MetricType::kCounter, false, {{0, 3, 6, 0, 0}}});
  run.metric_series.push_back(
      {"quote_time", MetricType::kTrend, true, {{0, 4, 12.5, 20, 21}, {1, 2, 10, 11, 11}}});
  run.metric_series.push_back({"queue", MetricType::kGauge, false, {{3, 5, -2, 0, 1}}});
  run.metric_series.push_back({"ok", MetricType::kRate, false, {{0, 4, 0.75, 0, 0}}});
  return run;
}

std::string with_member(const std::string& json, const std::string& member) {
  return json.substr(0, json.rfind('}')) + "," + member + "}";
}

}  // namespace

TEST_CASE("endpoint and metric series read back as they were written") {
  result::RunResult run = with_series();
  std::string json = result::result_to_json(run);
  result::RunResult back = result::result_from_json(json, "r.json");
  REQUIRE(back.endpoint_series.size() == 2);
  CHECK(back.endpoint_series[0].name == "availability");
  REQUIRE(back.endpoint_series[0].points.size() == 2);
  CHECK(back.endpoint_series[0].points[0].failed == 1);
  CHECK(back.endpoint_series[0].points[0].p99 == 6);
  CHECK(back.endpoint_series[1].method.empty());
  REQUIRE(back.metric_series.size() == 4);
  CHECK(back.metric_series[1].type == MetricType::kTrend);
  CHECK(back.metric_series[1].is_time);
  CHECK(back.metric_series[1].points[0].p95 == 20);
  CHECK(back.metric_series[2].points[0].value == -2);
  CHECK(result::result_to_json(back) == json);
}

TEST_CASE("a file without the series reads as one without data, and malformed ones are refused") {
  result::RunResult empty;
  std::string json = result::result_to_json(empty);
  std::string old = json;  // as a file of an older version: no such members at all
  for (const char* member : {"\"endpoint_series\": [],", "\"metric_series\": [],"}) {
    auto at = old.find(member);
    REQUIRE(at != std::string::npos);
    old.erase(at, std::strlen(member));
  }
  result::RunResult back = result::result_from_json(old, "old.json");
  CHECK(back.endpoint_series.empty());
  CHECK(back.metric_series.empty());

  auto refused = [&](const std::string& member, const char* where) {
    CHECK_THROWS_WITH(result::result_from_json(with_member(old, member), "r.json"),
                      Catch::Contains(where));
  };
  refused(R"("endpoint_series": {})", "endpoint_series");
  refused(R"("endpoint_series": [{"method": "GET", "points": []}])", "endpoint_series[0].name");
  refused(R"("endpoint_series": [{"method": "GET", "name": "a", "points": [{"t": -1}]}])",
          "endpoint_series[0].points[0].t");
  refused(R"("endpoint_series": [{"method": "GET", "name": "a", "points": [{"t": 2}, {"t": 2}]}])",
          "endpoint_series[0].points[1].t");
  refused(R"("endpoint_series": [{"method": "G", "name": "a",
              "points": [{"t": 0, "http_reqs": 1, "http_req_failed": 2}]}])",
          "http_req_failed");
  refused(R"("metric_series": [{"name": "m", "type": "histogram", "points": []}])",
          "metric_series[0].type");
  refused(
      R"("metric_series": [{"name": "m", "type": "trend", "points": [{"t": 0, "value": "1"}]}])",
      "metric_series[0].points[0].value");
  refused(
      R"("metric_series": [{"name": "m", "type": "trend", "points": [{"t": 0, "count": 1.5}]}])",
      "metric_series[0].points[0].count");
}

TEST_CASE("instances' series merge by second, summed or weighted by their counts") {
  result::RunResult a = with_series(), b = with_series();
  b.endpoint_series[0].points = {{0, 30, 0, 0.5, 1, 2, 3}};
  a.endpoint_series[0].points[0].avg = 2.5;
  b.metric_series[1].points = {{0, 12, 2.5, 4, 30}};
  b.metric_series[2].points = {{2, 1, 7, 0, 7}};
  b.metric_series[0].type = MetricType::kGauge;  // another type under one name: a's kept
  result::RunResult merged;
  result::merge_detail_series({{&a, 0}, {&b, 1}}, merged);

  REQUIRE(merged.endpoint_series.size() == 2);
  const auto& availability = merged.endpoint_series[0].points;
  REQUIRE(availability.size() == 3);  // a's seconds 0 and 2, b's 0 at merged second 1
  CHECK(availability[0].second == 0);
  CHECK(availability[0].requests == 10);
  CHECK(availability[1].second == 1);
  CHECK(availability[1].requests == 30);
  CHECK(availability[1].avg == 0.5);
  CHECK(availability[2].requests == 4);
  // "(other)": a's second 1, b's second 1 at merged second 2
  const auto& other = merged.endpoint_series[1].points;
  REQUIRE(other.size() == 2);
  CHECK(other[1].second == 2);
  CHECK(other[1].requests == 1);

  auto metric = [&](const std::string& name) {
    for (const auto& s : merged.metric_series)
      if (s.name == name) return s;
    FAIL("no series " << name);
    return result::MetricSeries{};
  };
  auto trend = metric("quote_time");
  REQUIRE(trend.points.size() == 2);   // a: 0 and 1; b: 0 + 1 = 1
  CHECK(trend.points[1].count == 14);  // 2 + 12
  CHECK(trend.points[1].value == Approx((2 * 10 + 12 * 2.5) / 14.0));
  CHECK(trend.points[1].p95 == Approx((2 * 11 + 12 * 4) / 14.0));
  CHECK(trend.points[1].max == 30);
  auto gauge = metric("queue");
  REQUIRE(gauge.points.size() == 1);  // a's 3 and b's 2 + 1: one second
  CHECK(gauge.points[0].value == 7);  // the largest
  CHECK(gauge.points[0].count == 6);
  auto counter = metric("bookings");
  CHECK(counter.type == MetricType::kCounter);
  REQUIRE(counter.points.size() == 1);  // b's gauge "bookings" left out
  CHECK(counter.points[0].value == 6);
  auto rate = metric("ok");
  REQUIRE(rate.points.size() == 2);
  CHECK(rate.points[0].value == 0.75);
}

TEST_CASE("merged endpoints beyond the bound count under (other)") {
  std::vector<result::RunResult> inputs(result::kMaxEndpointSeries + 5);
  std::vector<result::DetailPart> parts;
  for (size_t i = 0; i < inputs.size(); ++i) {
    inputs[i].endpoint_series.push_back({"GET", "e" + std::to_string(i), {{0, 2, 1, 1, 1, 1, 1}}});
    parts.push_back({&inputs[i], 0});
  }
  result::RunResult merged;
  result::merge_detail_series(parts, merged);
  REQUIRE(merged.endpoint_series.size() == result::kMaxEndpointSeries);
  const auto& other = merged.endpoint_series.back();
  CHECK(other.name == result::kOtherEndpoint);
  CHECK(other.points[0].requests == 2 * (inputs.size() - result::kMaxEndpointSeries + 1));
  uint64_t total = 0;
  for (const auto& s : merged.endpoint_series) total += s.points[0].requests;
  CHECK(total == 2 * inputs.size());
}
