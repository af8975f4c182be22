// lueng compare on result models built sample by sample: which scopes are judged,
// how checks, other metrics and SLOs compare, when the runs are said to differ,
// and that every format starts with the verdict.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "engine/analysis/compare.hpp"
#include "engine/metrics/sink.hpp"
#include "engine/metrics/tags.hpp"
#include "engine/report/compare_render.hpp"

using namespace lueng;

namespace {

// What one run did: requests of one endpoint, checks, and a custom metric of each type.
struct Traffic {
  int requests = 100;
  double latency_ms = 100;
  int failed = 0;
  int slow_requests = 0;  // a second endpoint, GET /slow, at ten times the latency
  int checks = 100;
  int checks_failed = 0;
  double cart_value = 50;  // a trend
};

result::RunResult run_of(const Traffic& t) {
  metrics::MetricCatalog catalog;
  std::string error;
  auto cart = *catalog.add("cart_value", metrics::MetricType::kTrend, false, &error);
  auto orders = *catalog.add("orders", metrics::MetricType::kCounter, false, &error);
  auto paid = *catalog.add("paid", metrics::MetricType::kRate, false, &error);
  auto queue = *catalog.add("queue", metrics::MetricType::kGauge, false, &error);
  metrics::Sink sink(catalog);
  auto home = sink.intern(metrics::encode_tags({{"method", "GET"}, {"name", "/home"}}));
  auto slow = sink.intern(metrics::encode_tags({{"method", "GET"}, {"name", "/slow"}}));
  auto check = sink.intern(metrics::encode_tags({{"check", "status is 200"}}));
  auto none = sink.intern("");
  uint64_t time = 0;
  for (int i = 0; i < t.requests; ++i) {
    sink.add(metrics::builtin::kHttpReqs, home, 1, ++time);
    sink.add(metrics::builtin::kHttpReqDuration, home, t.latency_ms, time);
    sink.add(metrics::builtin::kHttpReqFailed, home, i < t.failed ? 1 : 0, time);
    sink.add(cart, none, t.cart_value, time);
    sink.add(orders, none, 1, time);
    sink.add(paid, none, i % 2, time);
    sink.add(queue, none, i, time);
  }
  for (int i = 0; i < t.slow_requests; ++i) {
    sink.add(metrics::builtin::kHttpReqs, slow, 1, ++time);
    sink.add(metrics::builtin::kHttpReqDuration, slow, t.latency_ms * 10, time);
    sink.add(metrics::builtin::kHttpReqFailed, slow, 0, time);
  }
  for (int i = 0; i < t.checks; ++i)
    sink.add(metrics::builtin::kChecks, check, i < t.checks_failed ? 0 : 1, ++time);
  result::RunResult result;
  result.script = "/ci/checkout/scripts/load.lua";
  result.duration_seconds = 10;
  result::ScenarioSummary scenario;
  scenario.name = "default";
  scenario.executor = "constant-vus";
  result.scenarios.push_back(scenario);
  result.metrics = metrics::MetricSet(catalog);
  result.metrics.merge(sink);
  return result;
}

const analysis::ComparisonRow* find_row(const std::vector<analysis::ComparisonRow>& rows,
                                        const std::string& scope, const std::string& metric) {
  for (const auto& row : rows)
    if (row.scope == scope && row.metric == metric) return &row;
  return nullptr;
}

analysis::Comparison compare(const Traffic& baseline, const Traffic& current) {
  return analysis::compare_runs(run_of(baseline), run_of(current), 10);
}

thresholds::SloResult slo(const std::string& selector, const std::string& threshold,
                          thresholds::SloStatus status) {
  thresholds::SloResult r;
  r.slo.selector.text = selector;
  r.slo.threshold.text = threshold;
  r.status = status;
  return r;
}

}  // namespace

TEST_CASE("an endpoint with fewer than 30 requests in a run is not compared") {
  Traffic baseline, current;
  baseline.slow_requests = 29;
  current.slow_requests = 40;
  analysis::Comparison c = compare(baseline, current);
  CHECK(find_row(c.rows, "GET /slow", "p(95)") == nullptr);
  REQUIRE(c.not_enough_data.size() == 1);
  CHECK_FALSE(c.not_enough_data[0].is_check);
  CHECK(c.not_enough_data[0].scope == "GET /slow");
  CHECK(c.not_enough_data[0].baseline == 29);
  CHECK(c.not_enough_data[0].current == 40);
  // 40 more requests ten times slower raise the p(95) of all requests, which are judged.
  CHECK(find_row(c.rows, "", "p(95)") != nullptr);
  CHECK(find_row(c.rows, "GET /home", "p(95)") != nullptr);
  CHECK(report::render_comparison_console(c, "a", "b")
            .find("       GET /slow: 29 and 40 requests\n") != std::string::npos);

  SECTION("with 30 in each it is") {
    baseline.slow_requests = 30;
    c = compare(baseline, current);
    CHECK(c.not_enough_data.empty());
    CHECK(find_row(c.rows, "GET /slow", "p(95)") != nullptr);
  }
}

TEST_CASE("all requests too are judged only with 30 in each run") {
  Traffic baseline, current;
  baseline.requests = 20;
  current.requests = 20;
  current.latency_ms = 500;
  analysis::Comparison c = compare(baseline, current);
  CHECK(c.rows.empty());
  CHECK_FALSE(c.regressed());
  REQUIRE(c.not_enough_data.size() == 2);  // all requests and GET /home
  CHECK(c.not_enough_data[0].scope.empty());
  CHECK(c.verdict() ==
        "NO REGRESSION: 0 of 2 gated values worse than the baseline by more than 10%, 2 not "
        "compared (not enough data)");
}

TEST_CASE("a check's pass rate regresses like the error rate, on its failures") {
  Traffic baseline, current;
  baseline.checks = current.checks = 2000;
  SECTION("from 100% to 99%: the failure rate rises from 0 by a point") {
    current.checks_failed = 20;
    analysis::Comparison c = compare(baseline, current);
    const auto* all = find_row(c.check_rows, "", "pass rate");
    const auto* named = find_row(c.check_rows, "status is 200", "pass rate");
    REQUIRE(all);
    REQUIRE(named);
    CHECK(all->gated);
    CHECK(all->regression);
    CHECK(named->regression);
    CHECK(named->baseline == 1);
    CHECK(named->current == Approx(0.99));
    CHECK(c.regressed());
  }
  SECTION("by less than the 0.1-point floor it does not") {
    current.checks_failed = 1;  // 0.05%
    CHECK_FALSE(compare(baseline, current).regressed());
  }
  SECTION("within the tolerance of the failure rate it does not") {
    baseline.checks_failed = 200;  // 10% fail
    current.checks_failed = 210;   // 10.5%: +5% of the failure rate
    CHECK_FALSE(compare(baseline, current).regressed());
    current.checks_failed = 240;  // 12%: +20%
    CHECK(compare(baseline, current).regressed());
  }
  SECTION("a rising pass rate does not") {
    baseline.checks_failed = 500;
    CHECK_FALSE(compare(baseline, current).regressed());
  }
  SECTION("fewer than 30 evaluations are not compared") {
    baseline.checks = 29;
    current.checks_failed = 1000;
    analysis::Comparison c = compare(baseline, current);
    CHECK(c.check_rows.empty());
    CHECK_FALSE(c.regressed());
    REQUIRE(c.not_enough_data.size() == 2);
    CHECK(c.not_enough_data[0].is_check);
  }
}

TEST_CASE("every other metric in both runs is compared, never gated") {
  Traffic baseline, current;
  current.cart_value = 500;
  current.requests = 200;  // twice the orders in the same 10 s
  analysis::Comparison c = compare(baseline, current);
  const auto* p95 = find_row(c.metric_rows, "cart_value", "p(95)");
  REQUIRE(p95);
  CHECK(p95->baseline == Approx(50).epsilon(0.01));
  CHECK(p95->current == Approx(500).epsilon(0.01));
  CHECK_FALSE(p95->gated);
  CHECK_FALSE(p95->regression);
  REQUIRE(find_row(c.metric_rows, "cart_value", "avg"));
  const auto* orders = find_row(c.metric_rows, "orders", "count/s");
  REQUIRE(orders);
  CHECK(orders->baseline == 10);
  CHECK(orders->current == 20);
  const auto* paid = find_row(c.metric_rows, "paid", "rate");
  REQUIRE(paid);
  CHECK(paid->is_ratio);
  CHECK(paid->baseline == 0.5);
  const auto* queue = find_row(c.metric_rows, "queue", "value");
  REQUIRE(queue);
  CHECK(queue->baseline == 99);
  CHECK(queue->current == 199);
  // The http metrics are compared per endpoint and the checks per check, not here.
  for (const auto& row : c.metric_rows) {
    CHECK(row.scope.rfind("http_", 0) != 0);
    CHECK(row.scope != "checks");
  }
  // The latency of GET /home did not change: nothing regressed, whatever cart_value did.
  CHECK_FALSE(c.regressed());
}

TEST_CASE("an SLO met in the baseline and failing now is a regression") {
  using thresholds::SloStatus;
  result::RunResult baseline = run_of({}), current = run_of({});
  baseline.slo.results = {slo("http_req_duration", "p(95)<200", SloStatus::kPass),
                          slo("http_req_failed", "rate<0.01", SloStatus::kFail),
                          slo("checks", "rate>0.99", SloStatus::kWarning),
                          slo("old_metric", "count>0", SloStatus::kPass)};
  current.slo.results = {slo("http_req_duration", "p(95)<200", SloStatus::kCritical),
                         slo("http_req_failed", "rate<0.01", SloStatus::kPass),
                         slo("checks", "rate>0.99", SloStatus::kFail),
                         slo("new_metric", "count>0", SloStatus::kFail)};
  analysis::Comparison c = analysis::compare_runs(baseline, current, 10);
  REQUIRE(c.slos.size() == 5);
  CHECK(c.slos[0].slo == "http_req_duration p(95)<200");
  CHECK(c.slos[0].regression);
  CHECK_FALSE(c.slos[1].regression);  // failing before: an improvement
  CHECK(c.slos[2].regression);        // a WARNING is met
  CHECK(c.slos[3].slo == "old_metric count>0");
  CHECK_FALSE(c.slos[3].current);
  CHECK_FALSE(c.slos[3].regression);
  CHECK(c.slos[4].slo == "new_metric count>0");
  CHECK_FALSE(c.slos[4].baseline);
  CHECK_FALSE(c.slos[4].regression);  // no baseline to have passed
  CHECK(c.regressed_slos() == 2);
  CHECK(c.regressed());
  CHECK(c.verdict() ==
        "REGRESSION: 0 of 14 gated values worse than the baseline by more than 10%, 2 of 3 SLOs "
        "failing that passed");
  std::string console = report::render_comparison_console(c, "a", "b");
  CHECK(console.find("http_req_duration p(95)<200 PASS      CRITICAL  ✗ REGRESSION") !=
        std::string::npos);
  CHECK(console.find("old_metric count>0          PASS      -") != std::string::npos);
}

TEST_CASE("NO DATA fails an SLO unless allow_empty") {
  using thresholds::SloStatus;
  result::RunResult baseline = run_of({}), current = run_of({});
  baseline.slo.results = {
      slo("http_req_duration{phase:recovered}", "p(95)<2000", SloStatus::kPass)};
  current.slo.results = {
      slo("http_req_duration{phase:recovered}", "p(95)<2000", SloStatus::kNoData)};
  CHECK(analysis::compare_runs(baseline, current, 10).regressed());
  current.slo.results[0].slo.allow_empty = true;
  CHECK_FALSE(analysis::compare_runs(baseline, current, 10).regressed());
}

TEST_CASE("runs of different scripts or scenarios are warned about") {
  result::RunResult baseline = run_of({}), current = run_of({});
  // The same script checked out in another directory is the same script.
  current.script = "scripts/load.lua";
  CHECK(analysis::compare_runs(baseline, current, 10).warnings.empty());

  current.script = "scripts/spike.lua";
  current.scenarios[0].executor = "ramping-vus";
  analysis::Comparison c = analysis::compare_runs(baseline, current, 10);
  REQUIRE(c.warnings.size() == 2);
  CHECK(c.warnings[0] ==
        "different scripts: the baseline ran load.lua, the current run spike.lua; the numbers "
        "may not compare");
  CHECK(c.warnings[1] ==
        "different scenarios: the baseline ran default (constant-vus), the current run default "
        "(ramping-vus); the numbers may not compare");
  std::string console = report::render_comparison_console(c, "a", "b");
  CHECK(console.rfind("NO REGRESSION: ", 0) == 0);
  CHECK(console.find("\nWARNING: different scripts: ") < console.find("baseline: a"));
}

TEST_CASE("every format starts with the verdict") {
  Traffic baseline, current;
  current.latency_ms = 150;
  analysis::Comparison c = compare(baseline, current);
  REQUIRE(c.regressed());
  std::string verdict = "REGRESSION: 8 of 14 gated values worse than the baseline by more than 10%";
  CHECK(c.verdict() == verdict);
  CHECK(report::render_comparison_console(c, "a", "b").rfind(verdict + "\n", 0) == 0);
  CHECK(report::render_comparison_markdown(c, "a", "b").rfind("## ❌ " + verdict + "\n", 0) == 0);
  CHECK(report::render_comparison_json(c, "a", "b").find("\"verdict\": \"" + verdict + "\"") !=
        std::string::npos);
}

TEST_CASE("checks of the same name in two groups are two checks") {
  auto with_groups = [](int booking_failures) {
    result::RunResult result = run_of({});
    metrics::MetricCatalog catalog;
    metrics::Sink sink(catalog);
    auto booking =
        sink.intern(metrics::encode_tags({{"check", "status is 200"}, {"group", "::booking"}}));
    for (int i = 0; i < 100; ++i)
      sink.add(metrics::builtin::kChecks, booking, i < booking_failures ? 0 : 1, i + 1);
    metrics::MetricSet grouped(catalog);
    grouped.merge(sink);
    result.metrics.merge(grouped);
    return result;
  };
  analysis::Comparison c = analysis::compare_runs(with_groups(0), with_groups(10), 10);
  const auto* outside = find_row(c.check_rows, "status is 200", "pass rate");
  const auto* inside = find_row(c.check_rows, "booking::status is 200", "pass rate");
  REQUIRE(outside);
  REQUIRE(inside);
  CHECK_FALSE(outside->regression);
  CHECK(inside->regression);
  CHECK(inside->current == Approx(0.9));
}
