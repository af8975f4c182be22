// SLOs with a window: the `window` key, what it may select, and the verdict
// over the windows of a per-second series (engine/thresholds/windows.hpp).
#include <catch2/catch.hpp>

#include <rapidjson/document.h>

#include "engine/thresholds/definitions.hpp"
#include "engine/thresholds/evaluate.hpp"
#include "engine/thresholds/windows.hpp"

using namespace lueng::thresholds;
using lueng::metrics::MetricDef;
using lueng::metrics::MetricType;

namespace {

std::optional<MetricDef> lookup(std::string_view name) {
  if (name == "http_req_failed") return MetricDef{"http_req_failed", MetricType::kRate, false};
  if (name == "http_reqs") return MetricDef{"http_reqs", MetricType::kCounter, false};
  if (name == "http_req_duration") return MetricDef{"http_req_duration", MetricType::kTrend, true};
  if (name == "my_rate") return MetricDef{"my_rate", MetricType::kRate, false};
  return std::nullopt;
}

std::vector<SloDefinition> parse(const char* json) {
  rapidjson::Document d;
  d.Parse(json);
  REQUIRE_FALSE(d.HasParseError());
  return parse_thresholds(d, lookup, "s.lua", "options.thresholds");
}

std::string error_of(const char* json) {
  try {
    parse(json);
  } catch (const ThresholdError& e) {
    return e.what();
  }
  return "(no error)";
}

// `failed[i]` failures out of `requests` requests in second i.
std::vector<SecondValue> failures(const std::vector<uint64_t>& failed, uint64_t requests) {
  std::vector<SecondValue> out;
  for (size_t i = 0; i < failed.size(); ++i)
    out.push_back({static_cast<int64_t>(i), requests, static_cast<double>(failed[i]), 0});
  return out;
}

}  // namespace

TEST_CASE("window is a whole number of seconds on a metric the series keeps") {
  auto slos = parse(R"({"http_req_failed": {"1": "rate<0.05", "window": "30s"}})");
  REQUIRE(slos.size() == 1);
  CHECK(slos[0].window == 30);
  CHECK(parse(R"({"http_reqs": {"1": "rate>10", "window": 5000}})")[0].window == 5);
  CHECK(parse(R"({"http_req_duration": {"1": "avg<300", "warn": "max<900", "window": "10s"}})")[0]
            .window == 10);

  CHECK(error_of(R"({"http_req_failed": {"1": "rate<0.05", "window": "1.5s"}})") ==
        "s.lua: options.thresholds[\"http_req_failed\"].window: must be a whole number of "
        "seconds, at least \"1s\" (the per-second series is what it slides over)");
  CHECK(error_of(R"({"http_req_failed": {"1": "rate<0.05", "window": "0s"}})")
            .find("at least \"1s\"") != std::string::npos);
  CHECK(error_of(R"({"http_req_failed": {"1": "rate<0.05", "window": 2e40}})") ==
        "s.lua: options.thresholds[\"http_req_failed\"].window: must be at most 366 days");
  CHECK(error_of(R"({"http_req_failed{endpoint:a}": {"1": "rate<0.05", "window": "30s"}})") ==
        "s.lua: options.thresholds[\"http_req_failed{endpoint:a}\"].window: the per-second series "
        "keeps whole metrics, not tags, so a window cannot select 'http_req_failed{endpoint:a}'; "
        "put the window on http_req_failed itself");
  CHECK(error_of(R"({"http_req_duration": {"1": "p(95)<300", "window": "30s"}})")
            .find("a window measures http_req_duration's avg or max") != std::string::npos);
  CHECK(error_of(R"({"http_req_duration": {"1": "avg<300", "warn": "p(95)<200", "window": "30s"}})")
            .find("'p(95)<200'") != std::string::npos);
  CHECK(error_of(R"({"my_rate": {"1": "rate<0.05", "window": "30s"}})") ==
        "s.lua: options.thresholds[\"my_rate\"].window: the per-second series does not keep "
        "my_rate; a window applies to http_req_failed, checks, http_reqs, iterations, data_sent, "
        "data_received, dropped_iterations and http_req_duration (avg, max)");
}

TEST_CASE("a burst misses a windowed error rate that the whole run meets") {
  auto slo = parse(R"({"http_req_failed": {"1": "rate<0.05", "window": "3s"}})")[0];
  // 20 s of 100 requests a second; 12 failures a second during seconds 10-12:
  // 36 of 2000 in all (1.8%), 36 of 300 in the window 10-13 (12%).
  std::vector<uint64_t> failed(20, 0);
  failed[10] = failed[11] = failed[12] = 12;
  SloResult r = evaluate_windows(slo, failures(failed, 100), 20);
  CHECK(r.status == SloStatus::kCritical);
  CHECK(r.value == Approx(0.12));
  REQUIRE(r.worst_window);
  CHECK(r.worst_window->from == 10);
  CHECK(r.worst_window->to == 13);
  CHECK(r.worst_window->windows == 18);
  CHECK(r.worst_window->missed == 3);  // those starting at 9, 10 and 11: 24 or 36 failures
  CHECK(r.samples == 2000);

  // Without the window, the same seconds meet it.
  slo.window = 0;
  lueng::metrics::Aggregate whole;
  for (int i = 0; i < 2000; ++i) whole.add(MetricType::kRate, i < 36 ? 1 : 0, 1);
  CHECK(evaluate(slo, whole, 20).status == SloStatus::kPass);
}

TEST_CASE("windows without data are skipped, a counter's zeros are not") {
  auto rate = parse(R"({"http_req_failed": {"1": "rate<0.05", "window": "2s"}})")[0];
  // Seconds 3-9 are missing from the series: a pause with no requests.
  std::vector<SecondValue> seconds{{0, 10, 0, 0}, {1, 10, 0, 0}, {2, 10, 0, 0}, {10, 10, 0, 0}};
  SloResult r = evaluate_windows(rate, seconds, 11);
  CHECK(r.status == SloStatus::kPass);
  CHECK(r.worst_window->windows == 4);  // ending at 1, 2, 3 and 10; 4 to 9 have no requests

  auto throughput = parse(R"({"http_reqs": {"1": "rate>5", "window": "2s"}})")[0];
  std::vector<SecondValue> requests{
      {0, 10, 10, 0}, {1, 10, 10, 0}, {2, 10, 10, 0}, {10, 10, 10, 0}};
  r = evaluate_windows(throughput, requests, 11);
  CHECK(r.status == SloStatus::kCritical);
  CHECK(r.value == 0);
  CHECK(r.worst_window->from == 3);
  CHECK(r.worst_window->to == 5);
  CHECK(r.worst_window->windows == 10);

  CHECK(evaluate_windows(rate, {}, 10).status == SloStatus::kNoData);
  CHECK(evaluate_windows(rate, {{0, 0, 0, 0}}, 10).status == SloStatus::kNoData);
}

TEST_CASE("a run shorter than its window is one window, the whole run") {
  auto slo = parse(R"({"http_reqs": {"1": "rate>=10", "window": "30s"}})")[0];
  std::vector<SecondValue> seconds{{0, 10, 10, 0}, {1, 10, 10, 0}, {2, 5, 5, 0}};
  CHECK_FALSE(has_full_window(slo, seconds));
  SloResult r = evaluate_windows(slo, seconds, 2.5);
  CHECK(r.status == SloStatus::kPass);
  CHECK(r.value == Approx(10));  // 25 requests over the 2.5 s the run lasted
  CHECK(r.worst_window->from == 0);
  CHECK(r.worst_window->to == 3);
}

TEST_CASE("a counter's windows are whole: the run's last few milliseconds are none") {
  auto slo = parse(R"({"http_reqs": {"1": "count>100", "window": "1s"}})")[0];
  // A 5 s run whose last iterations ended 5 ms past its end: second 5 holds none.
  std::vector<SecondValue> seconds{{0, 150, 150, 0}, {1, 150, 150, 0}, {2, 150, 150, 0},
                                   {3, 150, 150, 0}, {4, 150, 150, 0}, {5, 0, 0, 0}};
  SloResult r = evaluate_windows(slo, seconds, 5.005);
  CHECK(r.status == SloStatus::kPass);
  CHECK(r.value == 150);
  CHECK(r.worst_window->windows == 5);
  // A rate is still judged in the last second, on what it holds.
  auto rate = parse(R"({"http_req_failed": {"1": "rate<0.05", "window": "1s"}})")[0];
  r = evaluate_windows(rate, {{0, 10, 0, 0}, {1, 10, 0, 0}, {2, 2, 2, 0}}, 2.1);
  CHECK(r.status == SloStatus::kCritical);
  CHECK(r.worst_window->from == 2);
}

TEST_CASE("a trend's window measures avg and max, warn slides too") {
  auto slo =
      parse(R"({"http_req_duration": {"1": "max<1000", "warn": "avg<100", "window": "2s"}})")[0];
  // second, requests, sum of durations, max
  std::vector<SecondValue> seconds{{0, 10, 500, 90}, {1, 10, 500, 80}, {2, 10, 3000, 900}};
  SloResult r = evaluate_windows(slo, seconds, 3);
  CHECK(r.status == SloStatus::kWarning);
  CHECK(r.value == 900);
  REQUIRE(r.warn_value);
  CHECK(*r.warn_value == Approx(175));  // (500 + 3000) / 20
  CHECK(r.worst_window->from == 1);
}

TEST_CASE("abort_on_fail's delay leaves out the windows that ended before it") {
  auto slo = parse(R"({"http_req_failed": {"1": "rate<0.05", "window": "2s"}})")[0];
  SloResult early = evaluate_windows(slo, failures({50, 0, 0, 0, 0}, 100), 5, 3);
  CHECK(early.status == SloStatus::kPass);
  CHECK(evaluate_windows(slo, failures({50, 0, 0, 0, 0}, 100), 5).status == SloStatus::kCritical);
}

TEST_CASE("evaluate_all judges windowed SLOs on the series it is given") {
  auto slos = parse(R"({"http_req_failed": {"1": "rate<0.05", "window": "2s"}})");
  std::vector<uint64_t> failed{0, 0, 30, 0};
  auto series = failures(failed, 100);
  SloReport report =
      evaluate_all(slos, lueng::metrics::MetricSet{}, 4, false, "", [&](std::string_view metric) {
        return metric == "http_req_failed" ? series : std::vector<SecondValue>{};
      });
  REQUIRE(report.results.size() == 1);
  CHECK(report.results[0].status == SloStatus::kCritical);
  CHECK(report.exit_code == 2);
  CHECK(evaluate_all(slos, lueng::metrics::MetricSet{}, 4, false, "").results[0].status ==
        SloStatus::kNoData);
}
