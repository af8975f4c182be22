// The threshold grammar: every aggregation and operator, whitespace, sub-metric
// selectors, the table form, and bad input with the exact message.
#include <catch2/catch.hpp>

#include <rapidjson/document.h>

#include "engine/metrics/tags.hpp"
#include "engine/thresholds/definitions.hpp"
#include "engine/thresholds/expression.hpp"
#include "engine/thresholds/selector.hpp"

using namespace lueng::thresholds;
using lueng::metrics::MetricType;

namespace {

Expression parse_ok(const std::string& text) {
  std::string error;
  auto e = parse_expression(text, &error);
  INFO(text << ": " << error);
  REQUIRE(e);
  return *e;
}

std::string parse_error(const std::string& text) {
  std::string error;
  CHECK_FALSE(parse_expression(text, &error));
  return error;
}

}  // namespace

TEST_CASE("every aggregation parses") {
  CHECK(parse_ok("avg<1").aggregation == Aggregation::kAvg);
  CHECK(parse_ok("min<1").aggregation == Aggregation::kMin);
  CHECK(parse_ok("max<1").aggregation == Aggregation::kMax);
  CHECK(parse_ok("med<1").aggregation == Aggregation::kMed);
  CHECK(parse_ok("count<1").aggregation == Aggregation::kCount);
  CHECK(parse_ok("rate<1").aggregation == Aggregation::kRate);
  CHECK(parse_ok("value<1").aggregation == Aggregation::kValue);
  Expression p = parse_ok("p(99.9)<1");
  CHECK(p.aggregation == Aggregation::kPercentile);
  CHECK(p.percentile == 99.9);
  CHECK(p.aggregation_text() == "p(99.9)");
  CHECK(parse_ok("p(0)<1").percentile == 0);
  CHECK(parse_ok("p(100)<1").percentile == 100);
}

TEST_CASE("every operator parses and compares") {
  struct Case {
    const char* text;
    Comparison comparison;
    bool at_bound, below, above;
  };
  const Case cases[] = {
      {"avg<10", Comparison::kLess, false, true, false},
      {"avg<=10", Comparison::kLessEqual, true, true, false},
      {"avg>10", Comparison::kGreater, false, false, true},
      {"avg>=10", Comparison::kGreaterEqual, true, false, true},
      {"avg==10", Comparison::kEqual, true, false, false},
      {"avg!=10", Comparison::kNotEqual, false, true, true},
  };
  for (const auto& c : cases) {
    INFO(c.text);
    Expression e = parse_ok(c.text);
    CHECK(e.comparison == c.comparison);
    CHECK(e.bound == 10);
    CHECK(e.holds(10) == c.at_bound);
    CHECK(e.holds(9.5) == c.below);
    CHECK(e.holds(10.5) == c.above);
  }
}

TEST_CASE("whitespace around the parts is ignored") {
  Expression e = parse_ok("  p(95)  <=   3000.5 ");
  CHECK(e.percentile == 95);
  CHECK(e.comparison == Comparison::kLessEqual);
  CHECK(e.bound == 3000.5);
  CHECK(e.text == "p(95)  <=   3000.5");
  CHECK(parse_ok("rate < 0.01").bound == 0.01);
  CHECK(parse_ok("value>-1").bound == -1);
  CHECK(parse_ok("count>=1e3").bound == 1000);
}

TEST_CASE("bad expressions say exactly what is wrong") {
  CHECK(parse_error("") == "the expression is empty (expected e.g. \"p(95)<3000\")");
  CHECK(parse_error("p(95)") == "'p(95)': no comparison operator (use <, <=, >, >=, == or !=)");
  CHECK(parse_error("p95<3000") ==
        "'p95<3000': unknown aggregation 'p95' (use avg, min, max, med, p(N), count, rate or "
        "value)");
  CHECK(parse_error("<3000") ==
        "'<3000': the aggregation is missing (use avg, min, max, med, p(N), count, rate or value)");
  CHECK(parse_error("p(x)<1") == "'p(x)<1': 'p(x)' is not a percentile: p(N) takes a number N");
  CHECK(parse_error("p(101)<1") ==
        "'p(101)<1': 'p(101)': the percentile must be between 0 and 100");
  CHECK(parse_error("avg=<1") == "'avg=<1': unknown operator '=<' (use <, <=, >, >=, == or !=)");
  CHECK(parse_error("avg<") == "'avg<': the number after '<' is missing");
  CHECK(parse_error("avg<3s") == "'avg<3s': '3s' is not a number");
  CHECK(parse_error("avg<1 2") == "'avg<1 2': '1 2' is not a number");
}

TEST_CASE("aggregations are checked against the metric type") {
  CHECK(aggregation_applies(Aggregation::kCount, MetricType::kCounter));
  CHECK(aggregation_applies(Aggregation::kRate, MetricType::kCounter));
  CHECK_FALSE(aggregation_applies(Aggregation::kPercentile, MetricType::kCounter));
  CHECK(aggregation_applies(Aggregation::kValue, MetricType::kGauge));
  CHECK_FALSE(aggregation_applies(Aggregation::kAvg, MetricType::kGauge));
  CHECK(aggregation_applies(Aggregation::kRate, MetricType::kRate));
  CHECK_FALSE(aggregation_applies(Aggregation::kCount, MetricType::kRate));
  for (auto a : {Aggregation::kAvg, Aggregation::kMin, Aggregation::kMax, Aggregation::kMed,
                 Aggregation::kPercentile})
    CHECK(aggregation_applies(a, MetricType::kTrend));
  CHECK_FALSE(aggregation_applies(Aggregation::kRate, MetricType::kTrend));
}

TEST_CASE("selectors name a metric or a sub-metric") {
  std::string error;
  auto plain = parse_selector("http_req_duration", &error);
  REQUIRE(plain);
  CHECK(plain->metric == "http_req_duration");
  CHECK(plain->filter.empty());
  auto sub = parse_selector("http_req_duration{ status : 200 , name:http://x/a:b }", &error);
  REQUIRE(sub);
  CHECK(sub->metric == "http_req_duration");
  CHECK(sub->filter == lueng::metrics::encode_tags({{"name", "http://x/a:b"}, {"status", "200"}}));
  auto check = [](const char* text) {
    std::string message;
    CHECK_FALSE(parse_selector(text, &message));
    return message;
  };
  CHECK(check("{a:b}") == "the metric name is missing");
  CHECK(check("m{a:b") == "the tag filter is not closed with '}'");
  CHECK(check("m{}") == "the tag filter {} is empty");
  CHECK(check("m{a}") == "'a' is not tag:value");
  CHECK(check("m{a:b}x") == "unexpected 'x' after the tag filter");
  CHECK(check("m}") == "'}' without '{'");
  CHECK(check("m {a:b}") == "'m ': nothing may stand between the metric name and '{'");
  CHECK(check("my metric") == "'my metric': a metric name has no spaces");
}

namespace {

std::optional<lueng::metrics::MetricDef> lookup(std::string_view name) {
  if (name == "http_req_duration")
    return lueng::metrics::MetricDef{"http_req_duration", MetricType::kTrend, true};
  if (name == "http_reqs")
    return lueng::metrics::MetricDef{"http_reqs", MetricType::kCounter, false};
  return std::nullopt;
}

std::vector<SloDefinition> parse_table(const char* json) {
  rapidjson::Document d;
  d.Parse(json);
  REQUIRE_FALSE(d.HasParseError());
  return parse_thresholds(d, lookup, "s.lua", "options.thresholds");
}

std::string table_error(const char* json) {
  try {
    parse_table(json);
  } catch (const ThresholdError& e) {
    return e.what();
  }
  return "(no error)";
}

}  // namespace

TEST_CASE("the table form carries warn, priority, abort and description") {
  // {"1": ...} is how a Lua table { "expr", warn = ... } arrives as JSON.
  auto slos = parse_table(R"({
    "http_reqs": "count>10",
    "http_req_duration{name:a}": [
      "p(95)<300",
      {"1": "p(99)<500", "warn": "p(99)<400", "priority": "P1", "abort_on_fail": true,
       "delay_abort_eval": "10s", "description": "tail", "allow_empty": true},
      {"threshold": "max<900", "abortOnFail": true, "delayAbortEval": 1500}
    ]})");
  REQUIRE(slos.size() == 4);
  CHECK(slos[0].selector.text == "http_req_duration{name:a}");  // keys in order
  CHECK(slos[0].priority == Priority::kP0);                     // the default
  CHECK(slos[0].where == "options.thresholds[\"http_req_duration{name:a}\"][1]");
  const SloDefinition& full = slos[1];
  CHECK(full.threshold.text == "p(99)<500");
  REQUIRE(full.warn);
  CHECK(full.warn->text == "p(99)<400");
  CHECK(full.priority == Priority::kP1);
  CHECK(full.abort_on_fail);
  CHECK(full.delay_abort_eval == 10);
  CHECK(full.description == "tail");
  CHECK(full.allow_empty);
  CHECK(slos[2].abort_on_fail);
  CHECK(slos[2].delay_abort_eval == 1.5);
  CHECK(slos[3].selector.text == "http_reqs");
  CHECK(slos[3].where == "options.thresholds[\"http_reqs\"]");
  CHECK(slos[3].metric.type == MetricType::kCounter);
}

TEST_CASE("bad thresholds name the file, the key and the problem") {
  CHECK(table_error(R"({"nope": "avg<1"})") ==
        "s.lua: options.thresholds[\"nope\"]: unknown metric 'nope' (not built in, and the "
        "script creates no such metric with lueng.metrics)");
  CHECK(table_error(R"({"http_reqs": ["count>1", "p(95)<1"]})") ==
        "s.lua: options.thresholds[\"http_reqs\"][2]: 'p(95)<1': http_reqs is a counter, which "
        "has count or rate, not p(95)");
  CHECK(table_error(R"({"http_reqs": {"1": "count>1", "warn": "count>"}})") ==
        "s.lua: options.thresholds[\"http_reqs\"].warn: 'count>': the number after '>' is "
        "missing");
  CHECK(table_error(R"({"http_reqs": {"1": "count>1", "priority": "high"}})") ==
        "s.lua: options.thresholds[\"http_reqs\"].priority: must be \"P0\", \"P1\" or \"P2\"");
  CHECK(table_error(R"({"http_reqs": {"1": "count>1", "delay_abort_eval": "soon"}})") ==
        "s.lua: options.thresholds[\"http_reqs\"].delay_abort_eval: 'soon' is not a duration "
        "such as \"10s\"");
  CHECK(table_error(R"({"http_reqs": {"1": "count>1", "abort": true}})") ==
        "s.lua: options.thresholds[\"http_reqs\"].abort: unknown field (use warn, priority, "
        "abort_on_fail, delay_abort_eval, description, allow_empty or window)");
  CHECK(table_error(R"({"http_reqs": {"warn": "count>1"}})") ==
        "s.lua: options.thresholds[\"http_reqs\"]: has no threshold expression (write it first: "
        "{ \"p(95)<3000\", ... })");
  CHECK(table_error(R"({"http_reqs": []})") ==
        "s.lua: options.thresholds[\"http_reqs\"]: lists no thresholds");
  CHECK(table_error(R"({"http_reqs": 5})") ==
        "s.lua: options.thresholds[\"http_reqs\"]: must be an expression string or a table { "
        "\"expr\", warn = ..., priority = ... }");
  CHECK(table_error(R"(["avg<1"])") ==
        "s.lua: options.thresholds: must be a table of metric = thresholds");
}

namespace {

std::vector<SloDefinition> parse_saved(const char* json) {
  rapidjson::Document d;
  d.Parse(json);
  REQUIRE_FALSE(d.HasParseError());
  return parse_thresholds(d, lookup, "slo.lua", "thresholds", UnknownMetrics::kNoData);
}

std::string saved_error(const char* json) {
  try {
    parse_saved(json);
  } catch (const ThresholdError& e) {
    return e.what();
  }
  return "(no error)";
}

}  // namespace

TEST_CASE("a metric a saved run has no samples of is typed by its thresholds") {
  auto slos = parse_saved(R"({
    "a_time": ["p(95)<300", {"1": "avg<100", "warn": "med<50"}],
    "a_time{step:login}": "max<900",
    "b_count": {"1": "rate>1", "warn": "count>100"},
    "c_rate": "rate<0.1",
    "d_gauge": "value<3",
    "http_reqs": "count>1"
  })");
  REQUIRE(slos.size() == 7);
  for (int i : {0, 1, 2}) CHECK(slos[i].metric.type == MetricType::kTrend);
  CHECK(slos[2].metric.name == "a_time");
  CHECK(slos[3].metric.type == MetricType::kCounter);  // a count makes it a counter
  CHECK(slos[4].metric.type == MetricType::kRate);
  CHECK(slos[5].metric.type == MetricType::kGauge);
  CHECK(slos[6].metric.type == MetricType::kCounter);  // known: the lookup's type
  CHECK_FALSE(slos[0].metric.is_time);
}

TEST_CASE("thresholds of a metric without samples must agree on its type and still parse") {
  CHECK(saved_error(R"({"nope": ["count>1", "p(95)<1"]})") ==
        "slo.lua: thresholds[\"nope\"][2]: 'p(95)<1': nope has no samples, so its thresholds give "
        "its type: 'count>1' makes it a counter, which has count or rate, not p(95)");
  CHECK(saved_error(R"({"nope": "p(95)<1", "nope{a:b}": {"1": "avg<1", "warn": "value<2"}})") ==
        "slo.lua: thresholds[\"nope{a:b}\"].warn: 'value<2': nope has no samples, so its "
        "thresholds give its type: 'p(95)<1' makes it a trend, which has avg, min, max, med or "
        "p(N), not value");
  CHECK(saved_error(R"({"nope": "p(95)<<1"})") ==
        "slo.lua: thresholds[\"nope\"]: 'p(95)<<1': unknown operator '<<' (use <, <=, >, >=, == "
        "or !=)");
  CHECK(saved_error(R"({"nope": {"1": "avg<1", "colour": "red"}})") ==
        "slo.lua: thresholds[\"nope\"].colour: unknown field (use warn, priority, abort_on_fail, "
        "delay_abort_eval, description, allow_empty or window)");
  // A known metric is still checked against its own type.
  CHECK(saved_error(R"({"http_reqs": "p(95)<1"})") ==
        "slo.lua: thresholds[\"http_reqs\"]: 'p(95)<1': http_reqs is a counter, which has count "
        "or rate, not p(95)");
}
