// k6's internal/js/summary_test.go TestOldJSONExport, ported (docs/from-k6.md,
// "Test tables ported from k6"): the metrics and groups of k6's
// createTestMetrics in lueng's result model, rendered by --out k6-summary and
// compared with k6's expectedOldJSONExportResult, metric by metric.
#include <cmath>
#include <string>

#include <rapidjson/document.h>
#include <catch2/catch.hpp>

#include "engine/metrics/tags.hpp"
#include "engine/report/k6_summary.hpp"

using namespace lueng;
using metrics::Aggregate;
using metrics::MetricDef;
using metrics::MetricType;

namespace {

const char* kExpected = R"k6({
    "root_group": {
        "name": "",
        "path": "",
        "id": "d41d8cd98f00b204e9800998ecf8427e",
        "groups": {
            "child": {
                "name": "child",
                "path": "::child",
                "id": "f41cbb53a398ec1c9fb3d33e20c9b040",
                "groups": {},
                "checks": {
                    "check1": {
                        "name": "check1",
                        "path": "::child::check1",
                        "id": "6289a7a06253a1c3f6137dfb25695563",
                        "passes":30,
                        "fails": 0
                    },
                    "check2": {
                        "name": "check2",
                        "path": "::child::check2",
                        "id": "06f5922794bef0d4584ba76a49893e1f",
                        "passes": 5,
                        "fails": 10
                    },
                    "check3": {
                        "name": "check3",
                        "path": "::child::check3",
                        "id": "c7553eca92d3e034b5808332296d304a",
                        "passes": 10,
                        "fails": 5
                    }
                }
            }
        },
        "checks": {}
    },
    "metrics": {
        "checks": {
            "value": 0.75,
            "passes": 45,
            "fails": 15,
            "thresholds": {
                "rate>70": false
            }
        },
        "http_reqs": {
            "count": 3,
            "rate": 3,
            "thresholds": {
                "rate<100": true
            }
        },
        "my_trend": {
            "avg": 15,
            "max": 20,
            "med": 15,
            "min": 10,
            "p(90)": 19,
            "p(95)": 19.5,
            "p(99)": 19.9,
            "count": 3,
            "thresholds": {
                "my_trend<1000": true
            }
        },
        "vus": {
            "value": 1,
            "min": 1,
            "max": 1
        }
    }
})k6";

void add_threshold(result::RunResult& result, const MetricDef& def, const std::string& source,
                   bool failed) {
  thresholds::SloResult slo;
  slo.slo.selector.text = def.name;
  slo.slo.selector.metric = def.name;
  slo.slo.metric = def;
  slo.slo.threshold.text = source;
  slo.status = failed ? thresholds::SloStatus::kFail : thresholds::SloStatus::kPass;
  slo.samples = 1;
  result.slo.results.push_back(slo);
}

// createTestMetrics and createTestLegacySummary (TestRunDuration: 1 s).
result::RunResult k6_test_run() {
  result::RunResult result;
  result.duration_seconds = 1;
  result.options_json =
      R"k6({"summaryTrendStats":["avg","min","med","max","p(90)","p(95)","p(99)","count"]})k6";
  MetricDef vus{"vus", MetricType::kGauge, false};
  Aggregate gauge;
  gauge.add(MetricType::kGauge, 1, 1);
  result.metrics.add(vus, "", gauge);

  MetricDef reqs{"http_reqs", MetricType::kCounter, false};
  Aggregate counter;
  for (int i = 0; i < 3; ++i) counter.add(MetricType::kCounter, 1, 1);
  result.metrics.add(reqs, "", counter);
  add_threshold(result, reqs, "rate<100", true);

  MetricDef checks{"checks", MetricType::kRate, false};
  struct Check {
    const char* name;
    int passes, fails;
  };
  // check3 before check2, as k6's test makes them.
  for (Check check : {Check{"check1", 30, 0}, Check{"check3", 10, 5}, Check{"check2", 5, 10}}) {
    Aggregate rate;
    for (int i = 0; i < check.passes; ++i) rate.add(MetricType::kRate, 1, 1);
    for (int i = 0; i < check.fails; ++i) rate.add(MetricType::kRate, 0, 1);
    result.metrics.add(checks, metrics::encode_tags({{"check", check.name}, {"group", "::child"}}),
                       rate);
  }
  add_threshold(result, checks, "rate>70", false);

  MetricDef trend{"my_trend", MetricType::kTrend, true};
  Aggregate samples;
  for (double value : {10.0, 15.0, 20.0}) samples.add(MetricType::kTrend, value, 1);
  result.metrics.add(trend, "", samples);
  add_threshold(result, trend, "my_trend<1000", true);
  return result;
}

}  // namespace

TEST_CASE("k6 TestOldJSONExport: k6's summary export, metric by metric", "[k6][report]") {
  std::string text = report::render_k6_summary(k6_test_run());
  rapidjson::Document ours, k6;
  ours.Parse(text.c_str());
  k6.Parse(kExpected);
  REQUIRE_FALSE(ours.HasParseError());
  REQUIRE_FALSE(k6.HasParseError());

  SECTION("root_group: groups, checks, paths and k6's MD5 ids") {
    CHECK(ours["root_group"] == k6["root_group"]);
  }
  SECTION("checks, http_reqs and vus as k6 writes them") {
    for (const char* name : {"checks", "http_reqs", "vus"}) {
      INFO(name);
      CHECK(ours["metrics"][name] == k6["metrics"][name]);
    }
  }
  SECTION("my_trend: exact but for percentiles, which are the histogram's (within 1%)") {
    rapidjson::Value& trend = ours["metrics"]["my_trend"];
    for (const char* stat : {"med", "p(90)", "p(95)", "p(99)"}) {
      INFO(stat);
      double theirs = k6["metrics"]["my_trend"][stat].GetDouble();
      CHECK(std::fabs(trend[stat].GetDouble() - theirs) <= 0.01 * theirs);
      trend[stat] = theirs;  // the documented difference, then the rest exactly
    }
    CHECK(trend == k6["metrics"]["my_trend"]);
  }
  SECTION("nothing else: no options, no state (oldJSONSummary deletes them)") {
    CHECK(ours.MemberCount() == 2);
    CHECK(ours["metrics"].MemberCount() == 4);
  }
  SECTION("JSON.stringify(results, null, 4): four spaces a level, no newline after it") {
    CHECK(text.starts_with("{\n    \"root_group\": {\n        \"name\": \"\",\n"));
    CHECK(text.back() == '}');
  }
}

TEST_CASE("k6-summary: summaryTrendStats, k6's default without it", "[k6][report]") {
  using report::summary_trend_stats;
  CHECK(summary_trend_stats("null") ==
        std::vector<std::string>{"avg", "min", "med", "max", "p(90)", "p(95)"});
  CHECK(summary_trend_stats(R"k6({"summaryTrendStats":["p(99.9)","count"]})k6") ==
        std::vector<std::string>{"p(99.9)", "count"});
  CHECK(summary_trend_stats(R"({"summaryTrendStats":"avg"})").size() == 6);
  CHECK(report::k6_group_id("::child") == "f41cbb53a398ec1c9fb3d33e20c9b040");
}
