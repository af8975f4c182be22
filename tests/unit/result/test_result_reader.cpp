// The result reader against the writer: a saved file read back is the same model
// (histograms bucket for bucket, so percentiles and thresholds re-evaluate to the
// same numbers), and bad files are refused with the place that is wrong.
#include <catch2/catch.hpp>

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "engine/metrics/sink.hpp"
#include "engine/metrics/tags.hpp"
#include "engine/result/result_file.hpp"
#include "engine/result/result_reader.hpp"
#include "engine/thresholds/definitions.hpp"
#include "engine/thresholds/evaluate.hpp"

using namespace lueng;

namespace {

result::RunResult sample_result() {
  metrics::MetricCatalog catalog;
  std::string error;
  auto custom = *catalog.add("step_time", metrics::MetricType::kTrend, true, &error);
  metrics::Sink sink(catalog);
  sink.track(custom, metrics::encode_tags({{"step", "login"}}));
  auto ok = sink.intern(metrics::encode_tags({{"name", "/a"}, {"status", "200"}}));
  auto bad = sink.intern(metrics::encode_tags({{"name", "/b"}, {"status", "500"}}));
  auto login = sink.intern(metrics::encode_tags({{"step", "login"}}));
  for (int i = 0; i < 500; ++i) {
    auto tags = i % 10 == 0 ? bad : ok;
    sink.add(metrics::builtin::kHttpReqs, tags, 1, i);
    sink.add(metrics::builtin::kHttpReqDuration, tags, 0.5 + i * 1.37, i);
    sink.add(metrics::builtin::kHttpReqFailed, tags, i % 10 == 0 ? 1 : 0, i);
    sink.add(metrics::builtin::kVus, tags, i % 7, i);
    sink.add(custom, login, 3 + i % 5, i);
  }
  result::RunResult result;
  result.lueng_version = "0.1.0";
  result.script = "s.lua";
  result.host = "h";
  result.start_unix_ms = 1700000000123;
  result.end_unix_ms = 1700000010456;
  result.duration_seconds = 10.333;
  result.workers = 2;
  result.max_vus = 7;
  result.random_seed = 9007199254740991;  // the largest, 2^53 - 1
  result.options_json = R"({"vus":7,"thresholds":{"http_req_duration":"p(95)<500"}})";
  result::ScenarioSummary scenario;
  scenario.name = "default";
  scenario.executor = "constant-vus";
  scenario.tags = {{"team", "qa"}};
  result.scenarios.push_back(scenario);
  result.metrics = metrics::MetricSet(catalog);
  result.metrics.merge(sink);
  result::TimePoint point;
  point.second = 3;
  point.requests = 50;
  point.duration_p95 = 12.5;
  result.time_series.push_back(point);
  result.script_errors.push_back({"s.lua:3: boom", "iteration", false, 4});
  result.script_errors.push_back({"s.lua:9: no rooms", "iteration", true, 2});
  result.script_errors.push_back({"s.lua:20: bye", "teardown", false, 1});
  result.failures.push_back({"GET", "/b", 500, 0, "HTTP 500", 50});
  result.failures.push_back(
      {"POST", "book \"fast\"", 0, 1212, "dial tcp 127.0.0.1:1: connect: connection refused", 3});
  result.failures_unlisted = 7;

  rapidjson::Document thresholds;
  thresholds.Parse(R"({"http_req_duration": ["p(95)<500", {"1": "avg<100", "warn": "avg<50",
                     "priority": "P1", "description": "mean"}],
                     "step_time{step:login}": "max<10", "http_req_failed": "rate<0.05"})");
  auto lookup = [&](std::string_view name) -> std::optional<metrics::MetricDef> {
    if (auto id = catalog.find(name)) return catalog.def(*id);
    return std::nullopt;
  };
  auto slos = thresholds::parse_thresholds(thresholds, lookup, "s.lua", "options.thresholds");
  result.slo = thresholds::evaluate_all(slos, result.metrics, result.duration_seconds, false, "");
  result.slo.results[0].recommendations = {"look at the logs"};
  result.exit_code = result.slo.exit_code;
  return result;
}

}  // namespace

TEST_CASE("a result file reads back into the same model") {
  result::RunResult original = sample_result();
  std::string json = result::result_to_json(original);
  result::RunResult read = result::result_from_json(json, "r.json");

  // Written again, it is the same file, byte for byte.
  CHECK(result::result_to_json(read) == json);

  const metrics::MetricData* duration = read.metrics.find("http_req_duration");
  REQUIRE(duration);
  const metrics::MetricData* before = original.metrics.find("http_req_duration");
  CHECK(duration->total.trend == before->total.trend);
  CHECK(duration->by_tags.size() == 2);
  for (double p : {50.0, 90.0, 95.0, 99.0, 99.9})
    CHECK(duration->total.trend.percentile(p) == before->total.trend.percentile(p));
  CHECK(read.metrics.find("http_reqs")->total.sum == 500);
  CHECK(read.metrics.find("http_req_failed")->total.rate() == 0.1);
  CHECK(read.metrics.find("vus")->total.last == original.metrics.find("vus")->total.last);
  const metrics::MetricData* step = read.metrics.find("step_time");
  REQUIRE(step);
  CHECK(step->def.is_time);
  CHECK(step->submetrics.size() == 1);
  CHECK(read.scenarios.at(0).tags.at(0).second == "qa");
  CHECK(read.failures == original.failures);
  CHECK(read.failures_unlisted == 7);
  CHECK(read.time_series.at(0).duration_p95 == 12.5);
  REQUIRE(read.script_errors.size() == 3);
  CHECK(read.script_errors[0].message == "s.lua:3: boom");
  CHECK(read.script_errors[0].count == 4);
  CHECK(read.script_errors[0].location() == "s.lua:3");
  CHECK(read.script_errors[1].deliberate);
  CHECK(read.script_errors[1].phase == "iteration");
  CHECK(read.script_errors[2].phase == "teardown");
  CHECK(read.random_seed == original.random_seed);
  // Files written before the seed was recorded have none.
  CHECK_FALSE(result::result_from_json(R"({"schema":"lueng.result/1","metrics":{}})", "old.json")
                  .random_seed);

  // The SLO report, and a re-evaluation of its SLOs on the read metrics.
  REQUIRE(read.slo.results.size() == original.slo.results.size());
  CHECK(read.slo.verdict == original.slo.verdict);
  CHECK(read.slo.exit_code == original.slo.exit_code);
  CHECK(read.slo.results[0].recommendations == std::vector<std::string>{"look at the logs"});
  std::vector<thresholds::SloDefinition> definitions;
  for (const auto& r : read.slo.results) definitions.push_back(r.slo);
  auto again =
      thresholds::evaluate_all(definitions, read.metrics, read.duration_seconds, false, "");
  for (size_t i = 0; i < again.results.size(); ++i) {
    INFO(again.results[i].slo.where);
    CHECK(again.results[i].status == original.slo.results[i].status);
    CHECK(again.results[i].value == original.slo.results[i].value);
    CHECK(again.results[i].samples == original.slo.results[i].samples);
  }
  CHECK(again.verdict == original.slo.verdict);
}

TEST_CASE("every number reads back to the very double that was written") {
  // Doubles whose shortest decimal form needs 17 digits: a parser that is not
  // exact to the last bit reads some of them one ulp off, and a threshold at the
  // measured value would then pass in the run and fail in lueng validate.
  metrics::MetricCatalog catalog;
  std::string error;
  auto gauge = *catalog.add("depth", metrics::MetricType::kGauge, false, &error);
  auto counter = *catalog.add("spent", metrics::MetricType::kCounter, false, &error);
  auto trend = *catalog.add("ratio", metrics::MetricType::kTrend, false, &error);
  metrics::Sink sink(catalog);
  auto tags = sink.intern("");
  std::vector<double> values;
  for (int i = 1; i <= 200; ++i) values.push_back(1000.0 * i / 7.0 + 1.0 / 3.0);
  uint64_t t = 0;
  for (double v : values) {
    sink.add(gauge, tags, v, ++t);
    sink.add(counter, tags, v, t);
    sink.add(trend, tags, v, t);
  }
  result::RunResult original;
  original.duration_seconds = 1.0 / 3.0;
  original.metrics = metrics::MetricSet(catalog);
  original.metrics.merge(sink);
  result::RunResult read = result::result_from_json(result::result_to_json(original), "r.json");
  CHECK(read.duration_seconds == original.duration_seconds);
  for (const char* name : {"depth", "spent", "ratio"}) {
    INFO(name);
    const metrics::Aggregate& a = read.metrics.find(name)->total;
    const metrics::Aggregate& b = original.metrics.find(name)->total;
    CHECK(a.last == b.last);
    CHECK(a.sum == b.sum);
    CHECK(a.trend.sum() == b.trend.sum());
    CHECK(a.trend.mean() == b.trend.mean());
    CHECK(a.min == b.min);
    CHECK(a.max == b.max);
  }
  // Each gauge sample value alone, as a series' last value.
  for (double v : values) {
    result::RunResult one;
    metrics::Aggregate a;
    a.add(metrics::MetricType::kGauge, v, 1);
    one.metrics.add(catalog.def(gauge), "", a);
    CHECK(result::result_from_json(result::result_to_json(one), "r.json")
              .metrics.find("depth")
              ->total.last == v);
  }
}

TEST_CASE("a gauge's series read back know which was set last") {
  // vu:2's series comes last in tag order but was set first: a sub-metric merged
  // from the series read back is the value set last, as the run tracked it.
  metrics::MetricCatalog catalog;
  std::string error;
  auto depth = *catalog.add("depth", metrics::MetricType::kGauge, false, &error);
  metrics::Sink sink(catalog);
  auto first = sink.intern(metrics::encode_tags({{"lane", "a"}, {"vu", "2"}}));
  auto last = sink.intern(metrics::encode_tags({{"lane", "a"}, {"vu", "1"}}));
  result::RunResult original;
  original.clock_start_ns = 1'000'000'000;
  sink.add(depth, first, 2, 500'000'000);  // in setup(), before the start
  sink.add(depth, last, 1, 3'000'000'000);
  original.metrics = metrics::MetricSet(catalog);
  original.metrics.merge(sink);
  std::string json = result::result_to_json(original);
  CHECK(json.find("\"last_time_ns\": -500000000") != std::string::npos);
  CHECK(json.find("\"last_time_ns\": 2000000000") != std::string::npos);
  result::RunResult read = result::result_from_json(json, "r.json");
  const metrics::MetricData* metric = read.metrics.find("depth");
  REQUIRE(metric);
  std::string lane_a = metrics::encode_tags({{"lane", "a"}});
  CHECK(original.metrics.filtered(*original.metrics.find("depth"), lane_a).last == 1);
  CHECK(read.metrics.filtered(*metric, lane_a).last == 1);
  CHECK(metric->total.last == 1);
  CHECK(result::result_to_json(read) == json);
}

TEST_CASE("bad result files are refused with the place that is wrong") {
  auto error = [](const std::string& json) {
    try {
      result::result_from_json(json, "r.json");
    } catch (const result::ResultReadError& e) {
      return std::string(e.what());
    }
    return std::string("(no error)");
  };
  CHECK(error("{").starts_with("r.json: not JSON: "));
  // Deeper than any result file: refused before anything recurses that deep.
  CHECK(error(R"({"options":)" + std::string(200'000, '[')) ==
        "r.json: not JSON: JSON nested deeper than 1000 levels at offset 1010");
  CHECK(error("{}") == "r.json: schema: missing: not a lueng result file");
  CHECK(error(R"({"schema":"lueng.result/9"})") ==
        "r.json: schema: 'lueng.result/9' is not supported (this lueng reads lueng.result/1)");
  CHECK(error(R"({"schema":"lueng.result/1"})") == "r.json: top level: 'metrics' is missing");
  CHECK(error(R"({"schema":"lueng.result/1","metrics":{"m":{"type":"histo"}}})") ==
        "r.json: metrics.m.type: must be counter, gauge, rate or trend");
  CHECK(error(R"({"schema":"lueng.result/1","metrics":{"m":{"type":"trend","values":{}}}})") ==
        "r.json: metrics.m: 'histogram' is missing");
  CHECK(error(R"({"schema":"lueng.result/1","metrics":{"m":{"type":"trend","values":{},
              "histogram":{"buckets":[[1]]}}}})") ==
        "r.json: metrics.m.histogram.buckets: must be a list of [index, count]");
  CHECK(error("{\"schema\":\"lueng.result/1\",\"metrics\":{},\"slos\":{\"results\":[{\"slo\":\"m\","
              "\"metric_type\":\"trend\",\"expression\":\"p95<1\"}]}}")
            .starts_with("r.json: slos.results[0].expression: 'p95<1': unknown aggregation"));
  // Numbers no integer field holds (a hand-edited file).
  CHECK(error(R"({"schema":"lueng.result/1","metrics":{},"exit_code":1e300})") ==
        "r.json: top level.exit_code: must be a whole number of a sensible size");
  CHECK(error(R"({"schema":"lueng.result/1","metrics":{},"start_unix_ms":-1e19})") ==
        "r.json: top level.start_unix_ms: must be a whole number of a sensible size");
  CHECK(error(R"({"schema":"lueng.result/1","metrics":{},"time_series":[{"t":1e300}]})") ==
        "r.json: time_series[0].t: must be a whole number of a sensible size");
  CHECK(error(R"({"schema":"lueng.result/1","metrics":{},"time_series":[{"http_reqs":1e300}]})") ==
        "r.json: time_series[0].http_reqs: must be a whole number >= 0");
  CHECK(error(R"({"schema":"lueng.result/1","metrics":{},"random_seed":9007199254740992})") ==
        "r.json: top level.random_seed: must be a whole number from 0 to 2^53 - 1");
  CHECK(error(R"({"schema":"lueng.result/1","metrics":{},"random_seed":-1})") ==
        "r.json: top level.random_seed: must be a whole number >= 0");
}

TEST_CASE("an execution segment, the script's checksum and the start time read back") {
  result::RunResult original = sample_result();
  original.execution_segment = result::SegmentInfo{"1/3:2/3", "1/3", "2/3", "0,1/3,2/3,1", 1, 3};
  original.script_sha256 = "ab12";
  original.start_at_unix_ms = 1796220000000;
  std::string json = result::result_to_json(original);
  result::RunResult read = result::result_from_json(json, "r.json");
  CHECK(read.execution_segment == original.execution_segment);
  CHECK(read.script_sha256 == "ab12");
  CHECK(read.start_at_unix_ms == 1796220000000);
  CHECK(result::result_to_json(read) == json);
  // The whole test: null, and files of older versions have neither.
  result::RunResult whole = result::result_from_json(result::result_to_json(sample_result()), "w");
  CHECK_FALSE(whole.execution_segment.has_value());
  CHECK_FALSE(whole.start_at_unix_ms.has_value());

  auto error = [](const std::string& segment) {
    try {
      result::result_from_json(
          R"({"schema":"lueng.result/1","metrics":{},"execution_segment":)" + segment + "}", "r");
    } catch (const result::ResultReadError& e) {
      return std::string(e.what());
    }
    return std::string("(no error)");
  };
  CHECK(error("null") == "(no error)");
  CHECK(
      error(
          R"({"segment":"1/3:2/3","from":"1/3","to":"2/3","sequence":"","index":-1,"count":0})") ==
      "(no error)");
  CHECK(error("3") == "r: execution_segment: must be an object or null");
  CHECK(error(R"({"segment":"2/3:1/3","from":"2/3","to":"1/3"})") ==
        "r: execution_segment.segment: segment start (2/3) must be less than its end (1/3)");
  CHECK(error(R"({"segment":"1/3:2/3","from":"0","to":"2/3"})") ==
        "r: execution_segment: from '0' and to '2/3' are not those of segment '1/3:2/3'");
  CHECK(error(R"({"segment":"0:1/2","from":"0","to":"1/2","sequence":"0,x,1"})") ==
        "r: execution_segment.sequence: 'x' is not a valid percentage, decimal, fraction or "
        "interval value");
}

TEST_CASE("a scenario's load shape reads back, files written before it say it by their stages") {
  using result::LoadShape;
  for (LoadShape shape : {LoadShape::kOther, LoadShape::kConstant, LoadShape::kRamping}) {
    result::RunResult original = sample_result();
    original.scenarios[0].load = shape;
    result::RunResult read = result::result_from_json(result::result_to_json(original), "r.json");
    CHECK(read.scenarios.at(0).load == shape);
  }
  auto load_of = [](const std::string& scenario) {
    return result::result_from_json(
               R"({"schema":"lueng.result/1","metrics":{},"scenarios":[)" + scenario + "]}",
               "old.json")
        .scenarios.at(0)
        .load;
  };
  CHECK(load_of(R"({"stages":[{"duration_seconds":10,"target":5}],"duration_seconds":0})") ==
        LoadShape::kRamping);
  CHECK(load_of(R"({"duration_seconds":60})") == LoadShape::kConstant);
  CHECK(load_of(R"({"iterations":10,"duration_seconds":0})") == LoadShape::kOther);
  // "load" wins over what the other fields suggest; a shape this lueng does not
  // know has nothing its findings judge.
  CHECK(load_of(R"({"load":"other","duration_seconds":60})") == LoadShape::kOther);
  CHECK(load_of(R"({"load":"constant"})") == LoadShape::kConstant);
  CHECK(load_of(R"({"load":"sawtooth","duration_seconds":60})") == LoadShape::kOther);
}

TEST_CASE("failures read back capped as a run caps them, a file without them has none") {
  result::RunResult original = sample_result();
  for (int i = 0; i < 250; ++i)
    original.failures.push_back({"GET", "/id/" + std::to_string(i), 404, 0, "HTTP 404", 1});
  result::RunResult read = result::result_from_json(result::result_to_json(original), "r.json");
  REQUIRE(read.failures.size() == result::kMaxFailureRows);
  CHECK(read.failures[0].count == 50);  // most frequent first
  CHECK(read.failures_unlisted == 7 + (252 - result::kMaxFailureRows));

  rapidjson::Document d;
  d.Parse(result::result_to_json(sample_result()).c_str());
  auto text = [&] {
    rapidjson::StringBuffer buffer;
    rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
    d.Accept(writer);
    return std::string(buffer.GetString(), buffer.GetSize());
  };
  d.RemoveMember("failures_unlisted");
  d["failures"][0]["status"].SetString("x");
  CHECK_THROWS_WITH(result::result_from_json(text(), "bad.json"),
                    Catch::Contains("failures.status"));
  d.RemoveMember("failures");
  CHECK(result::result_from_json(text(), "old.json").failures.empty());
}
