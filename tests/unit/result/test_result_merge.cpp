// lueng merge's model side: the results of a test's segments merged into the
// result of one run of the whole test (exact histograms, summed counts, aligned
// seconds, one verdict), and the inputs it refuses.
#include <catch2/catch.hpp>

#include <random>

#include "engine/common/execution_segment.hpp"
#include "engine/metrics/sink.hpp"
#include "engine/metrics/tags.hpp"
#include "engine/result/result_file.hpp"
#include "engine/result/result_merge.hpp"
#include "engine/result/result_reader.hpp"
#include "engine/result/segments.hpp"
#include "engine/result/series_merge.hpp"
#include "engine/thresholds/definitions.hpp"
#include "engine/thresholds/evaluate.hpp"

using namespace lueng;

namespace {

constexpr int64_t kStart = 1700000000000;

std::vector<thresholds::SloDefinition> slos_of(const char* json) {
  rapidjson::Document table;
  table.Parse(json);
  metrics::MetricCatalog catalog;
  auto lookup = [&](std::string_view name) -> std::optional<metrics::MetricDef> {
    if (auto id = catalog.find(name)) return catalog.def(*id);
    return std::nullopt;
  };
  return thresholds::parse_thresholds(table, lookup, "s.lua", "options.thresholds");
}

// One segment's result: a request per duration, the given VUs, one time-series
// point per second holding its requests.
result::RunResult segment_result(const std::string& segment, const std::vector<double>& durations,
                                 double vus, int64_t start_ms = kStart) {
  metrics::MetricCatalog catalog;
  metrics::Sink sink(catalog);
  auto ok = sink.intern(metrics::encode_tags({{"name", "/a"}, {"status", "200"}}));
  for (size_t i = 0; i < durations.size(); ++i) {
    sink.add(metrics::builtin::kHttpReqs, ok, 1, i);
    sink.add(metrics::builtin::kHttpReqDuration, ok, durations[i], i);
    sink.add(metrics::builtin::kHttpReqFailed, ok, i % 4 == 0 ? 1 : 0, i);
    sink.add(metrics::builtin::kDataReceived, ok, 257, i);  // each got a response
  }
  sink.add(metrics::builtin::kVus, sink.intern(""), vus, 1);
  result::RunResult r;
  r.script = "s.lua";
  r.script_sha256 = "ab12";
  r.host = "h-" + segment;
  r.start_unix_ms = start_ms;
  r.end_unix_ms = start_ms + 2000;
  r.duration_seconds = 2;
  r.workers = 1;
  r.max_vus = static_cast<uint64_t>(vus);
  r.metrics = metrics::MetricSet(catalog);
  r.metrics.merge(sink);
  if (segment != "0:1") {
    size_t colon = segment.find(':');
    r.execution_segment = result::SegmentInfo{
        segment, segment.substr(0, colon), segment.substr(colon + 1), "", -1, 0};
  }
  for (int64_t second = 0; second < 2; ++second) {
    result::TimePoint p;
    p.second = second;
    p.vus = vus;
    p.requests = durations.size() / 2 + (second == 1 ? durations.size() % 2 : 0);
    p.duration_avg = 10;
    p.duration_p95 = 20;
    p.duration_max = 30 + static_cast<double>(second);
    r.time_series.push_back(p);
  }
  result::ScenarioSummary scenario;
  scenario.name = "default";
  scenario.description = "1 iterations shared among " + std::to_string(int(vus)) + " VUs";
  scenario.vus = static_cast<int64_t>(vus);
  scenario.iterations = static_cast<int64_t>(durations.size());
  scenario.iterations_completed = static_cast<int64_t>(durations.size());
  r.scenarios.push_back(scenario);
  r.slo = thresholds::evaluate_all(slos_of(R"({"http_reqs": [{"1": "count<150", "priority": "P1"}],
                                               "http_req_duration": "p(95)<1000"})"),
                                   r.metrics, r.duration_seconds, false, "");
  return r;
}

std::vector<double> random_durations(size_t n, unsigned seed) {
  std::mt19937 random(seed);
  std::lognormal_distribution<double> latency(3, 1);
  std::vector<double> out;
  for (size_t i = 0; i < n; ++i) out.push_back(latency(random));
  return out;
}

}  // namespace

TEST_CASE("coverage lists the segments, the gaps and an overlap") {
  auto span = [](const char* from, const char* to) {
    ExecutionSegment segment;
    REQUIRE(parse_execution_segment(std::string(from) + ":" + to, segment) == "");
    return segment;
  };
  auto whole = result::cover({span("2/3", "1"), span("0", "1/3"), span("1/3", "2/3")});
  CHECK(whole.whole());
  CHECK(whole.overlap_first == -1);
  CHECK(whole.coverage.covered == std::vector<std::string>{"0:1/3", "1/3:2/3", "2/3:1"});

  auto gaps = result::cover({span("1/4", "1/2"), span("3/4", "1")});
  CHECK(gaps.coverage.missing == std::vector<std::string>{"0:1/4", "1/2:3/4"});
  CHECK_FALSE(gaps.contiguous);
  CHECK(gaps.hull.text() == "1/4:1");

  auto overlap = result::cover({span("0", "1/2"), span("1/3", "1")});
  CHECK(overlap.overlap_first == 0);
  CHECK(overlap.overlap_second == 1);
  auto twice = result::cover({span("0", "1"), span("0", "1")});
  CHECK(twice.overlap_first == 0);
  CHECK(twice.overlap_second == 1);
}

TEST_CASE("merged histograms give the percentiles of one histogram of every sample") {
  std::vector<double> a = random_durations(700, 1), b = random_durations(300, 2),
                      c = random_durations(1, 3);
  auto merged = result::merge_results({{"a.json", segment_result("0:1/3", a, 2)},
                                       {"b.json", segment_result("1/3:2/3", b, 3)},
                                       {"c.json", segment_result("2/3:1", c, 1)}});
  metrics::Histogram all;
  for (const auto* part : {&a, &b, &c})
    for (double v : *part) all.add(v);
  const metrics::MetricData* duration = merged.result.metrics.find("http_req_duration");
  REQUIRE(duration);
  CHECK(duration->total.trend == all);
  for (double p : {0.0, 1.0, 50.0, 90.0, 95.0, 99.0, 99.9, 100.0}) {
    INFO("p(" << p << ")");
    CHECK(duration->total.trend.percentile(p) == all.percentile(p));
  }
  CHECK(duration->by_tags.begin()->second.trend == all);
  CHECK(merged.result.metrics.find("http_reqs")->total.sum == 1001);
  const metrics::MetricData* failed = merged.result.metrics.find("http_req_failed");
  CHECK(failed->total.nonzero == 175 + 75 + 1);
  CHECK(failed->total.count == 1001);
  CHECK(merged.warnings.empty());
  CHECK(merged.result.coverage->missing.empty());
  CHECK_FALSE(merged.result.execution_segment);  // the whole test
}

TEST_CASE("counts and VUs add up, scenarios stay the test's, the verdict is the whole test's") {
  auto merged =
      result::merge_results({{"a.json", segment_result("0:1/2", random_durations(100, 4), 2)},
                             {"b.json", segment_result("1/2:1", random_durations(100, 5), 3)}});
  result::RunResult& r = merged.result;
  // Each half passed count<150 alone; the whole test made 200 requests.
  REQUIRE(r.slo.results.at(1).slo.metric.name == "http_reqs");  // in key order
  CHECK(r.slo.results[1].status == thresholds::SloStatus::kFail);
  CHECK(r.slo.results[1].value == 200);
  CHECK(r.slo.exit_code == 1);
  CHECK(r.exit_code == 1);
  CHECK(r.slo.verdict == "FAILED");
  const metrics::MetricData* vus = r.metrics.find("vus");
  REQUIRE(vus);
  CHECK(vus->total.last == 5);
  CHECK(vus->total.max == 5);
  // Scenarios describe the whole test in every input: kept, with the measured
  // iterations summed.
  REQUIRE(r.scenarios.size() == 1);
  CHECK(r.scenarios[0].vus == 2);
  CHECK(r.scenarios[0].iterations == 100);
  CHECK(r.scenarios[0].iterations_completed == 200);
  CHECK(r.scenarios[0].description == "1 iterations shared among 2 VUs");
  CHECK(r.workers == 2);
  CHECK(r.max_vus == 5);
  CHECK(r.host == "h-0:1/2, h-1/2:1");
  REQUIRE(r.merged_from.size() == 2);
  CHECK(r.merged_from[1].file == "b.json");
  CHECK(r.merged_from[1].segment == "1/2:1");
}

TEST_CASE("time series line up by wall-clock second") {
  std::vector<result::TimePoint> a(3), b(2);
  for (int64_t s = 0; s < 3; ++s) {
    a[s].second = s;
    a[s].requests = 10;
    a[s].vus = 1;
    a[s].duration_avg = 10;
    a[s].duration_p95 = 20;
    a[s].duration_max = 40;
    a[s].busy = 0.5;
    a[s].window_requests = 10 * static_cast<uint64_t>(s + 1);
    a[s].window_p95 = 20;
  }
  for (int64_t s = 0; s < 2; ++s) {
    b[s].second = s;
    b[s].requests = 30;
    b[s].vus = 2;
    b[s].duration_avg = 30;
    b[s].duration_p95 = 40;
    b[s].duration_max = 90;
    b[s].busy = 0.25;
    b[s].window_requests = 30 * static_cast<uint64_t>(s + 1);
    b[s].window_p95 = 40;
  }
  // b started a second after a.
  auto series = result::merge_series({{&a, 0}, {&b, 1}});
  REQUIRE(series.size() == 3);
  CHECK(series[0].requests == 10);
  CHECK(series[1].requests == 40);
  CHECK(series[2].requests == 40);
  CHECK(series[1].vus == 3);
  CHECK(series[1].duration_avg == 25);  // (10 x 10 + 30 x 30) / 40: exact
  CHECK(series[1].duration_max == 90);
  CHECK(series[1].duration_p95 == 35);  // weighted by requests
  CHECK(series[1].busy == 0.5);
  CHECK(series[2].window_requests == 90);  // every merged second so far
  CHECK(series[0].window_p95 == 20);
}

TEST_CASE("script errors are summed per message and phase") {
  auto a = segment_result("0:1/2", {1, 2}, 1);
  auto b = segment_result("1/2:1", {1, 2}, 1);
  a.script_errors = {{"s.lua:3: boom", "iteration", false, 4},
                     {"s.lua:9: x", "iteration", true, 1}};
  b.script_errors = {{"s.lua:9: x", "iteration", true, 6},
                     {"s.lua:3: boom", "iteration", false, 1}};
  for (int i = 0; i < 120; ++i)
    b.script_errors.push_back({"s.lua:5: id " + std::to_string(i), "iteration", false, 0});
  auto merged = result::merge_results({{"a.json", a}, {"b.json", b}});
  const auto& errors = merged.result.script_errors;
  REQUIRE(errors.size() == result::kMergedErrorMessages);
  CHECK(errors[0].message == "s.lua:9: x");
  CHECK(errors[0].count == 7);
  CHECK(errors[1].message == "s.lua:3: boom");
  CHECK(errors[1].count == 5);
}

TEST_CASE("failures add up per endpoint, status and code, the first message is kept") {
  auto a = segment_result("0:1/2", {1, 2}, 1);
  auto b = segment_result("1/2:1", {1, 2}, 1);
  a.failures = {{"GET", "/a", 0, 1212, "connect: connection refused (first)", 4},
                {"GET", "/a", 503, 0, "HTTP 503", 1}};
  a.failures_unlisted = 2;
  b.failures = {{"GET", "/a", 0, 1212, "connect: connection refused (second)", 5},
                {"POST", "/a", 503, 0, "HTTP 503", 3}};
  auto merged = result::merge_results({{"a.json", a}, {"b.json", b}}).result;
  REQUIRE(merged.failures.size() == 3);
  CHECK(merged.failures[0] ==
        result::FailureCount{"GET", "/a", 0, 1212, "connect: connection refused (first)", 9});
  CHECK(merged.failures[1] == result::FailureCount{"POST", "/a", 503, 0, "HTTP 503", 3});
  CHECK(merged.failures[2].count == 1);
  CHECK(merged.failures_unlisted == 2);

  // Past the bound, the least frequent rows are cut and counted.
  for (size_t i = 0; i < result::kMaxFailureRows; ++i)
    b.failures.push_back({"GET", "/id/" + std::to_string(i), 404, 0, "HTTP 404", 1});
  merged = result::merge_results({{"a.json", a}, {"b.json", b}}).result;
  CHECK(merged.failures.size() == result::kMaxFailureRows);
  CHECK(merged.failures_unlisted == 2 + 3);
}

TEST_CASE("inputs of different tests or the same segment are refused, missing ones said") {
  auto a = segment_result("0:1/2", {1, 2}, 1);
  auto b = segment_result("1/2:1", {1, 2}, 1);
  b.script_sha256 = "cd34";
  CHECK_THROWS_WITH(result::merge_results({{"a.json", a}, {"b.json", b}}),
                    Catch::Contains("a.json and b.json ran different scripts"));
  CHECK_THROWS_WITH(result::merge_results({{"a.json", segment_result("0:1", {1}, 1)},
                                           {"b.json", segment_result("0:1", {1}, 1)}}),
                    Catch::Contains("a.json and b.json cover the same part of the test"));
  CHECK_THROWS_WITH(result::merge_results({{"a.json", segment_result("0:2/3", {1}, 1)},
                                           {"b.json", segment_result("1/2:1", {1}, 1)}}),
                    Catch::Contains("(0:2/3 and 1/2:1)"));
  auto other_slos = segment_result("1/2:1", {1, 2}, 1);
  other_slos.slo.results.pop_back();
  CHECK_THROWS_WITH(result::merge_results({{"a.json", a}, {"b.json", other_slos}}),
                    Catch::Contains("a.json and b.json hold different SLOs"));

  auto part = result::merge_results({{"a.json", a}});
  REQUIRE(part.warnings.size() == 1);
  CHECK_THAT(part.warnings[0], Catch::Contains("segments missing: 1/2:1"));
  CHECK(part.result.coverage->missing == std::vector<std::string>{"1/2:1"});
  REQUIRE(part.result.execution_segment);
  CHECK(part.result.execution_segment->segment == "0:1/2");
}

TEST_CASE("an abort in one segment is the merged run's") {
  auto a = segment_result("0:1/2", {1, 2}, 1);
  auto b = segment_result("1/2:1", {1, 2}, 1);
  b.slo.aborted_by = b.slo.results[0].slo.where;
  auto merged = result::merge_results({{"a.json", a}, {"b.json", b}});
  CHECK(merged.result.slo.verdict == "ABORTED");
  CHECK(merged.result.exit_code == 2);
  CHECK(merged.result.merged_from[1].aborted_by == b.slo.aborted_by);
}

TEST_CASE("an interrupted segment or a teardown error decides the exit status as in one run") {
  auto a = segment_result("0:1/2", {1, 2}, 1);
  auto b = segment_result("1/2:1", {1, 2}, 1);
  b.interrupted = true;
  b.interrupt_reason = "SIGTERM";
  auto interrupted = result::merge_results({{"a.json", a}, {"b.json", b}});
  CHECK(interrupted.result.interrupted);
  CHECK(interrupted.result.interrupt_reason == "SIGTERM");
  CHECK(interrupted.result.exit_code == 105);
  b.interrupted = false;
  b.script_errors = {{"s.lua:20: bye", "teardown", false, 1}};
  CHECK(result::merge_results({{"a.json", a}, {"b.json", b}}).result.exit_code == 107);
}

TEST_CASE("a merged result file reads back with its inputs and coverage") {
  auto merged = result::merge_results({{"a.json", segment_result("0:1/2", {1, 2, 3}, 1)}});
  std::string json = result::result_to_json(merged.result);
  result::RunResult read = result::result_from_json(json, "m.json");
  CHECK(result::result_to_json(read) == json);
  REQUIRE(read.merged_from.size() == 1);
  CHECK(read.merged_from[0].segment == "0:1/2");
  CHECK(read.coverage->missing == std::vector<std::string>{"1/2:1"});
  CHECK(read.execution_segment->segment == "0:1/2");
  CHECK(read.script_sha256 == "ab12");
  // And merges again with the other half.
  auto whole =
      result::merge_results({{"m.json", read}, {"b.json", segment_result("1/2:1", {4, 5}, 1)}});
  CHECK(whole.result.coverage->missing.empty());
  CHECK(whole.result.metrics.find("http_reqs")->total.sum == 5);
  CHECK_THROWS_AS(result::result_from_json(
                      R"({"schema":"lueng.result/1","metrics":{},
                          "execution_segment":{"segment":"2/3:1/3","from":"2/3","to":"1/3"}})",
                      "bad.json"),
                  result::ResultReadError);
}
