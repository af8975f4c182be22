// k6's tables for the threshold grammar, case by case (grafana/k6
// metrics/thresholds_parser_test.go and metrics/metric_test.go): each case asserts
// k6's expected result. Counted in docs/from-k6.md ("Test tables ported from k6").
#include <catch2/catch.hpp>

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "engine/metrics/tags.hpp"
#include "engine/thresholds/expression.hpp"
#include "engine/thresholds/selector.hpp"

using namespace lueng::thresholds;

TEST_CASE("k6 TestParseThresholdExpression: 4 cases as in k6") {
  std::string error;
  CHECK_FALSE(parse_expression("count!20", &error));   // unknown operator
  CHECK_FALSE(parse_expression("foo>20", &error));     // unknown method
  CHECK_FALSE(parse_expression("count>abc", &error));  // non-numerical value
  auto valid = parse_expression("count>20", &error);
  REQUIRE(valid);
  CHECK(valid->aggregation == Aggregation::kCount);
  CHECK(valid->comparison == Comparison::kGreater);
  CHECK(valid->bound == 20);
}

TEST_CASE("k6 TestParseThresholdAggregationMethod: 19 cases as in k6") {
  struct Case {
    const char* method;
    bool valid;
    Aggregation aggregation;
    double percentile;
  };
  const Case cases[] = {
      {"count", true, Aggregation::kCount, 0},
      {"rate", true, Aggregation::kRate, 0},
      {"value", true, Aggregation::kValue, 0},
      {"avg", true, Aggregation::kAvg, 0},
      {"min", true, Aggregation::kMin, 0},
      {"max", true, Aggregation::kMax, 0},
      {"med", true, Aggregation::kMed, 0},
      {"p(99)", true, Aggregation::kPercentile, 99},
      {"p(99.9)", true, Aggregation::kPercentile, 99.9},
      {"p(0)", true, Aggregation::kPercentile, 0},
      {"p(100)", true, Aggregation::kPercentile, 100},
      {"foo", false, {}, 0},
      {"p()", false, {}, 0},
      {"p(99", false, {}, 0},
      {"p(foo)", false, {}, 0},
      {"p(-1)", false, {}, 0},
      {"p(101)", false, {}, 0},
      {"p(NaN)", false, {}, 0},
      {"p(+Inf)", false, {}, 0},
  };
  CHECK(std::size(cases) == 19);
  for (const Case& c : cases) {
    INFO(c.method);
    std::string error;
    // The method alone is not an expression: give it an operator and a bound.
    auto e = parse_expression(std::string(c.method) + "<1", &error);
    REQUIRE(e.has_value() == c.valid);
    if (!c.valid) continue;
    CHECK(e->aggregation == c.aggregation);
    CHECK(e->percentile == c.percentile);
  }
}

TEST_CASE("k6 TestScanThresholdExpression: 10 cases as in k6") {
  struct Case {
    const char* text;
    bool valid;
    const char *method, *op, *value;
  };
  const Case cases[] = {
      {"foo<=bar", true, "foo", "<=", "bar"},     {"foo<bar", true, "foo", "<", "bar"},
      {"foo>=bar", true, "foo", ">=", "bar"},     {"foo>bar", true, "foo", ">", "bar"},
      {"foo===bar", true, "foo", "===", "bar"},   {"foo==bar", true, "foo", "==", "bar"},
      {"foo!=bar", true, "foo", "!=", "bar"},     {"  foo  <=bar", true, "foo", "<=", "bar"},
      {"foo<=  bar  ", true, "foo", "<=", "bar"}, {"foo!bar", false, "", "", ""},
  };
  CHECK(std::size(cases) == 10);
  for (const Case& c : cases) {
    INFO(c.text);
    std::string error;
    auto scanned = scan_expression(c.text, &error);
    REQUIRE(scanned.has_value() == c.valid);
    if (!c.valid) continue;
    CHECK(scanned->aggregation == c.method);
    CHECK(scanned->comparison == c.op);
    CHECK(scanned->bound == c.value);
  }
}

TEST_CASE("k6 TestParseMetricName: 15 cases as in k6") {
  struct Case {
    const char* text;
    bool valid;
    const char* metric;
    std::vector<std::string> tags;  // k6's "tag:value" strings
  };
  const Case cases[] = {
      {"test_metric", true, "test_metric", {}},
      {"test_metric{abc:123}", true, "test_metric", {"abc:123"}},
      {"test_metric{abc:123,easyas:doremi}", true, "test_metric", {"abc:123", "easyas:doremi"}},
      {"test_metric{abc:123, easyas:doremi}", true, "test_metric", {"abc:123", "easyas:doremi"}},
      {"test_metric{group:::mygroup}", true, "test_metric", {"group:::mygroup"}},
      {"http_req_duration{name:http://${}.com}",
       true,
       "http_req_duration",
       {"name:http://${}.com"}},
      {"http_req_duration{name:http://${}.com,url:ssh://github.com:grafana/k6}",
       true,
       "http_req_duration",
       {"name:http://${}.com", "url:ssh://github.com:grafana/k6"}},
      {"test_metric{easyas}", false, "", {}},
      {"test_metric{easyas:}", false, "", {}},
      {"test_metric{abc:123,easyas:}", false, "", {}},
      {"test_metric{abc:123,easyas:doremi", false, "", {}},
      {"test_metricabc:123,easyas:doremi}", false, "", {}},
      {"test_metric}abc:123,easyas:doremi}", false, "", {}},
      {"test_metric}abc{bar", false, "", {}},
      {"test_metric{foo:ba}r", false, "", {}},
  };
  CHECK(std::size(cases) == 15);
  for (const Case& c : cases) {
    INFO(c.text);
    std::string error;
    auto selector = parse_selector(c.text, &error);
    REQUIRE(selector.has_value() == c.valid);
    if (!c.valid) continue;
    CHECK(selector->metric == c.metric);
    std::vector<std::string> tags;
    for (const auto& [key, value] : selector->tags) tags.push_back(key + ":" + value);
    CHECK(tags == c.tags);
  }
}

TEST_CASE("k6 TestAddSubmetric: 11 cases as in k6") {
  using Tags = std::map<std::string, std::string>;
  struct Case {
    const char* filter;
    bool valid;
    Tags tags;
  };
  const Case cases[] = {
      {"", false, {}},
      {"  ", false, {}},
      {"a", true, {{"a", ""}}},
      {"a:1", true, {{"a", "1"}}},
      {" a : 1 ", true, {{"a", "1"}}},
      {"a,b", true, {{"a", ""}, {"b", ""}}},
      {R"( a:"",b: '')", true, {{"a", ""}, {"b", ""}}},
      {"a:1,b:2", true, {{"a", "1"}, {"b", "2"}}},
      {" a : 1, b : 2 ", true, {{"a", "1"}, {"b", "2"}}},
      {R"(a : '1' , b : "2")", true, {{"a", "1"}, {"b", "2"}}},
      {R"(" a" : ' 1' , b : "2 " )", true, {{" a", " 1"}, {"b", "2 "}}},
  };
  CHECK(std::size(cases) == 11);
  for (const Case& c : cases) {
    INFO(c.filter);
    std::string error;
    auto tags = parse_tag_filter(c.filter, &error);
    REQUIRE(tags.has_value() == c.valid);
    if (!c.valid) continue;
    CHECK(Tags(tags->begin(), tags->end()) == c.tags);
  }
}

// The cases issue 19 names, end to end through parse_selector and parse_expression.
TEST_CASE("quoted selector values select the unquoted value, as in k6") {
  std::string error;
  auto quoted = parse_selector(R"(http_req_duration{status:"200"})", &error);
  REQUIRE(quoted);
  CHECK(quoted->filter == lueng::metrics::encode_tags({{"status", "200"}}));
  CHECK(quoted->text == R"(http_req_duration{status:"200"})");  // as written, for reports
  auto single = parse_selector("m{a:'1'}", &error);
  REQUIRE(single);
  CHECK(single->filter == lueng::metrics::encode_tags({{"a", "1"}}));
  CHECK(lueng::metrics::tags_match(lueng::metrics::encode_tags({{"a", "1"}, {"b", "2"}}),
                                   single->filter));
}

TEST_CASE("selectors k6 rejects are rejected, and {:1} is read as k6 reads it") {
  std::string error;
  CHECK_FALSE(parse_selector("m{easyas:}", &error));
  CHECK(error == "'easyas:' has no value after ':'");
  CHECK_FALSE(parse_selector("metric {a:1}", &error));
  CHECK(error == "'metric ': nothing may stand between the metric name and '{'");
  CHECK_FALSE(parse_selector("m{a:1} ", &error));
  CHECK_FALSE(parse_selector(" m", &error));
  // A tag with an empty name: accepted as in k6; it matches no sample.
  auto empty_name = parse_selector("m{:1}", &error);
  REQUIRE(empty_name);
  CHECK(empty_name->tags == std::vector<std::pair<std::string, std::string>>{{"", "1"}});
  // "{a: }" has something after ':' (a space), so k6 takes it: the value is empty.
  auto blank = parse_selector("m{a: }", &error);
  REQUIRE(blank);
  CHECK(blank->tags == std::vector<std::pair<std::string, std::string>>{{"a", ""}});
}

TEST_CASE("=== compares as ==, and p( 95 ) is no percentile, as in k6") {
  std::string error;
  auto strict = parse_expression("rate===1", &error);
  REQUIRE(strict);
  CHECK(strict->comparison == Comparison::kEqual);
  CHECK(strict->holds(1));
  CHECK_FALSE(strict->holds(0.5));
  CHECK_FALSE(parse_expression("p( 95 )<300", &error));
  CHECK(error == "'p( 95 )<300': 'p( 95 )' is not a percentile: no spaces inside p(N), as in k6");
  CHECK(parse_expression("p(95) < 300", &error));  // around the parts, spaces are fine
}
