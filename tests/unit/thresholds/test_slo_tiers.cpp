// The SLO tiers, table-driven: each status, its weight in the exit status, NO
// DATA with and without allow_empty, --strict, compliance and rating.
#include <catch2/catch.hpp>

#include "engine/metrics/metric_set.hpp"
#include "engine/metrics/tags.hpp"
#include "engine/thresholds/evaluate.hpp"

using namespace lueng::thresholds;
using lueng::metrics::MetricType;

namespace {

SloDefinition trend_slo(const std::string& threshold, std::optional<std::string> warn,
                        Priority priority, bool allow_empty = false) {
  SloDefinition slo;
  std::string error;
  slo.selector = *parse_selector("latency", &error);
  slo.metric = {"latency", MetricType::kTrend, true};
  slo.threshold = *parse_expression(threshold, &error);
  if (warn) slo.warn = *parse_expression(*warn, &error);
  slo.priority = priority;
  slo.allow_empty = allow_empty;
  return slo;
}

lueng::metrics::Aggregate samples(std::initializer_list<double> values) {
  lueng::metrics::Aggregate a;
  uint64_t t = 0;
  for (double v : values) a.add(MetricType::kTrend, v, ++t);
  return a;
}

}  // namespace

TEST_CASE("the status of an SLO follows its tier") {
  struct Case {
    bool has_data, meets, meets_warn;
    Priority priority;
    SloStatus status;
  };
  const Case cases[] = {
      {true, true, true, Priority::kP0, SloStatus::kPass},
      {true, true, false, Priority::kP0, SloStatus::kWarning},
      {true, true, false, Priority::kP2, SloStatus::kWarning},
      {true, false, true, Priority::kP0, SloStatus::kCritical},
      {true, false, false, Priority::kP0, SloStatus::kCritical},
      {true, false, true, Priority::kP1, SloStatus::kFail},
      {true, false, true, Priority::kP2, SloStatus::kFail},
      {false, true, true, Priority::kP0, SloStatus::kNoData},
      {false, false, false, Priority::kP1, SloStatus::kNoData},
  };
  for (const auto& c : cases) {
    INFO(c.has_data << c.meets << c.meets_warn << priority_name(c.priority));
    CHECK(slo_status(c.has_data, c.meets, c.meets_warn, c.priority) == c.status);
  }
}

TEST_CASE("evaluation measures the aggregation and the warn expression") {
  auto data = samples({10, 20, 30, 40});
  SloResult pass = evaluate(trend_slo("avg<30", "avg<26", Priority::kP0), data, 1);
  CHECK(pass.status == SloStatus::kPass);
  CHECK(pass.value == 25);
  CHECK(*pass.warn_value == 25);
  CHECK(*pass.deviation_percent == Approx(-100.0 / 6));
  CHECK(evaluate(trend_slo("avg<30", "avg<20", Priority::kP0), data, 1).status ==
        SloStatus::kWarning);
  CHECK(evaluate(trend_slo("max<30", std::nullopt, Priority::kP1), data, 1).status ==
        SloStatus::kFail);
  CHECK(evaluate(trend_slo("max<30", std::nullopt, Priority::kP0), data, 1).status ==
        SloStatus::kCritical);
  SloResult empty = evaluate(trend_slo("avg<30", std::nullopt, Priority::kP1), samples({}), 1);
  CHECK(empty.status == SloStatus::kNoData);
  CHECK(empty.samples == 0);
  CHECK_FALSE(empty.deviation_percent);
  // A bound of zero has no relative deviation.
  CHECK_FALSE(evaluate(trend_slo("min>0", std::nullopt, Priority::kP0), data, 1).deviation_percent);
}

TEST_CASE("the exit status adds up the SLOs") {
  struct Case {
    const char* name;
    std::vector<std::pair<SloStatus, Priority>> results;
    bool allow_empty, strict, aborted;
    int exit_code;
    const char* verdict;
    size_t met;
  };
  using S = SloStatus;
  using P = Priority;
  const Case cases[] = {
      {"all pass", {{S::kPass, P::kP0}, {S::kPass, P::kP1}}, false, false, false, 0, "PASSED", 2},
      {"warning",
       {{S::kPass, P::kP0}, {S::kWarning, P::kP0}},
       false,
       false,
       false,
       0,
       "PASSED WITH WARNINGS",
       2},
      {"warning, strict", {{S::kWarning, P::kP0}}, false, true, false, 1, "FAILED", 1},
      {"P1 fail", {{S::kPass, P::kP0}, {S::kFail, P::kP1}}, false, false, false, 1, "FAILED", 1},
      {"P2 fail", {{S::kFail, P::kP2}}, false, false, false, 1, "FAILED", 0},
      {"critical",
       {{S::kFail, P::kP1}, {S::kCritical, P::kP0}},
       false,
       false,
       false,
       2,
       "CRITICAL",
       0},
      {"no data at P1",
       {{S::kPass, P::kP0}, {S::kNoData, P::kP1}},
       false,
       false,
       false,
       1,
       "FAILED",
       1},
      {"no data at P0", {{S::kNoData, P::kP0}}, false, false, false, 2, "CRITICAL", 0},
      {"no data allowed",
       {{S::kPass, P::kP0}, {S::kNoData, P::kP0}},
       true,
       false,
       false,
       0,
       "PASSED",
       2},
      {"aborted", {{S::kPass, P::kP0}}, false, false, true, 2, "ABORTED", 1},
      {"no SLOs", {}, false, false, false, 0, "PASSED", 0},
  };
  for (const auto& c : cases) {
    INFO(c.name);
    SloReport report;
    report.strict = c.strict;
    if (c.aborted) report.aborted_by = "options.thresholds[\"latency\"]";
    for (const auto& [status, priority] : c.results) {
      SloResult r;
      r.status = status;
      r.slo.priority = priority;
      r.slo.allow_empty = c.allow_empty;
      report.results.push_back(r);
    }
    decide(report);
    CHECK(report.exit_code == c.exit_code);
    CHECK(report.verdict == c.verdict);
    CHECK(report.met == c.met);
  }
}

TEST_CASE("compliance is rated on the team's matrix") {
  CHECK(std::string(compliance_rating(100)) == "excellent");
  CHECK(std::string(compliance_rating(99.9)) == "good");
  CHECK(std::string(compliance_rating(90)) == "good");
  CHECK(std::string(compliance_rating(89.9)) == "fair");
  CHECK(std::string(compliance_rating(70)) == "fair");
  CHECK(std::string(compliance_rating(69.9)) == "critical");
  SloReport report;
  for (SloStatus s : {SloStatus::kPass, SloStatus::kPass, SloStatus::kFail, SloStatus::kWarning}) {
    SloResult r;
    r.status = s;
    r.slo.priority = Priority::kP1;
    report.results.push_back(r);
  }
  decide(report);
  CHECK(report.compliance == 75);
  CHECK(report.rating == "fair");
}

TEST_CASE("sub-metric SLOs read the samples their tags select") {
  lueng::metrics::MetricCatalog catalog;
  lueng::metrics::Sink sink(catalog, 2);
  std::string login = lueng::metrics::encode_tags({{"endpoint", "login"}});
  size_t tracked = sink.track(lueng::metrics::builtin::kHttpReqDuration, login);
  sink.add(lueng::metrics::builtin::kHttpReqDuration,
           sink.intern(lueng::metrics::encode_tags({{"endpoint", "login"}, {"status", "200"}})), 5,
           1);
  sink.add(lueng::metrics::builtin::kHttpReqDuration,
           sink.intern(lueng::metrics::encode_tags({{"endpoint", "home"}})), 500, 2);
  // Past the cardinality bound (2) the tag sets fold into name=(other); the
  // tracked sub-metric still counts the login sample exactly.
  sink.add(lueng::metrics::builtin::kHttpReqDuration,
           sink.intern(lueng::metrics::encode_tags({{"endpoint", "login"}, {"id", "3"}})), 7, 3);
  sink.add(lueng::metrics::builtin::kHttpReqDuration,
           sink.intern(lueng::metrics::encode_tags({{"endpoint", "home"}, {"id", "4"}})), 900, 4);
  CHECK(sink.overflowed_tag_sets() == 2);
  CHECK(sink.tracked()[tracked].aggregate.count == 2);

  lueng::metrics::MetricSet set(catalog);
  set.merge(sink);
  SloDefinition slo;
  std::string error;
  slo.selector = *parse_selector("http_req_duration{endpoint:login}", &error);
  slo.metric = catalog.def(lueng::metrics::builtin::kHttpReqDuration);
  slo.threshold = *parse_expression("max<10", &error);
  SloResult result = evaluate(slo, set, 1);
  CHECK(result.samples == 2);
  CHECK(result.value == 7);
  CHECK(result.status == SloStatus::kPass);
  CHECK(set.find("http_req_duration")->total.count == 4);
}
