#include <catch2/catch.hpp>

#include <functional>

#include "engine/output/findings.hpp"

using namespace lueng;

namespace {

output::ScenarioSummary ramping(std::vector<std::pair<double, int64_t>> stages, int64_t start_vus) {
  output::ScenarioSummary s;
  s.name = "ramp";
  s.executor = "ramping-vus";
  s.start_target = start_vus;
  s.stages = std::move(stages);
  for (const auto& stage : s.stages) s.max_duration += stage.first;
  return s;
}

output::ScenarioSummary constant(const std::string& executor, double duration) {
  output::ScenarioSummary s;
  s.name = "soak";
  s.executor = executor;
  s.vus = 10;
  s.duration = duration;
  s.max_duration = duration;
  return s;
}

// One point a second for `seconds`: 100 requests, `p95(second)` ms (also as the
// 10 s window's p95), `failed(second)` of them failed.
std::vector<output::TimePoint> series(int64_t seconds, const std::function<double(int64_t)>& p95,
                                      const std::function<uint64_t(int64_t)>& failed,
                                      const std::function<double(int64_t)>& vus) {
  std::vector<output::TimePoint> out;
  for (int64_t s = 0; s < seconds; ++s) {
    output::TimePoint p;
    p.second = s;
    p.vus = vus(s);
    p.requests = 100;
    p.failed = failed(s);
    p.duration_p95 = p95(s);
    p.window_p95 = p95(s);
    p.window_requests = 1000;
    out.push_back(p);
  }
  return out;
}

uint64_t none(int64_t) {
  return 0;
}
double ten(int64_t) {
  return 10;
}

}  // namespace

TEST_CASE("a spike that never recovers is reported as not recovered") {
  output::RunResult result;
  // 2 VUs for 3 s, up to 10, held, back to 2 at 7 s and held to 11 s.
  result.scenarios.push_back(ramping({{3, 2}, {1, 10}, {2, 10}, {1, 2}, {4, 2}}, 2));
  result.time_series = series(
      11, [](int64_t s) { return s < 3 ? 100.0 : 500.0; }, none, ten);
  output::Findings findings = output::compute_findings(result);
  REQUIRE(findings.recoveries.size() == 1);
  const output::Recovery& r = findings.recoveries[0];
  CHECK(r.scenario == "ramp");
  CHECK(r.spike_start == 3);
  CHECK(r.spike_end == 7);
  CHECK(r.before_p95_ms == 100);
  CHECK_FALSE(r.recovered);
  CHECK(output::describe(r).find("not recovered after the spike 3s-7s") != std::string::npos);
}

TEST_CASE("a spike is recovered at the first second back within 20% of the level before") {
  output::RunResult result;
  result.scenarios.push_back(ramping({{3, 2}, {1, 10}, {2, 10}, {1, 2}, {4, 2}}, 2));
  // 121 ms is past 20% of 100; 119 ms at 9 s is within.
  result.time_series = series(
      11, [](int64_t s) { return s < 3   ? 100.0
                                 : s < 7 ? 500.0
                                 : s < 9 ? 121.0
                                         : 119.0; }, none,
      ten);
  output::Findings findings = output::compute_findings(result);
  REQUIRE(findings.recoveries.size() == 1);
  CHECK(findings.recoveries[0].recovered);
  CHECK(findings.recoveries[0].seconds == 2);
}

TEST_CASE("a ramp that never comes back down has no recovery") {
  output::RunResult result;
  result.scenarios.push_back(ramping({{3, 2}, {3, 20}, {3, 20}}, 2));
  result.time_series = series(
      9, [](int64_t s) { return s < 3 ? 100.0 : 900.0; }, none, ten);
  output::Findings findings = output::compute_findings(result);
  CHECK(findings.recoveries.empty());
  // It is still a ramping scenario: its breaking point is judged.
  REQUIRE(findings.breaking_points.size() == 1);
  CHECK_FALSE(findings.breaking_points[0].reached);
}

TEST_CASE("the breaking point is found by the error rate of the 10 s window") {
  output::RunResult result;
  result.scenarios.push_back(ramping({{30, 60}}, 1));
  // 30 of 100 requests fail from 15 s on: 3% of the window at 15 s, 6% at 16 s.
  result.time_series = series(
      30, [](int64_t) { return 50.0; }, [](int64_t s) -> uint64_t { return s >= 15 ? 30 : 0; },
      [](int64_t s) { return 1.0 + 2.0 * static_cast<double>(s); });
  output::Findings findings = output::compute_findings(result);
  REQUIRE(findings.breaking_points.size() == 1);
  const output::BreakingPoint& b = findings.breaking_points[0];
  CHECK(b.reached);
  CHECK(b.cause == "error rate");
  CHECK(b.second == 16);
  CHECK(b.error_rate == Approx(0.06));
  CHECK(b.p95_ms == 50);
  CHECK(b.vus == 33);
  CHECK(b.request_rate == Approx(100));
  CHECK(output::describe(b).find("at 16s with 33 VUs") != std::string::npos);
}

TEST_CASE("an error rate that rises from 0 is drift, whatever the p95") {
  output::RunResult result;
  result.scenarios.push_back(constant("constant-vus", 100));
  // Warm-up 10 s; first tenth [10, 19) clean, last tenth [91, 100) at 5%.
  result.time_series = series(
      100, [](int64_t) { return 40.0; }, [](int64_t s) -> uint64_t { return s >= 91 ? 5 : 0; },
      ten);
  output::Findings findings = output::compute_findings(result);
  REQUIRE(findings.drifts.size() == 1);
  const output::Drift& d = findings.drifts[0];
  CHECK(d.flagged);
  CHECK(d.p95_change_percent == 0);
  CHECK(d.error_rate_first == 0);
  CHECK(d.error_rate_last == Approx(0.05));
  CHECK(output::describe(d).find("DRIFTING") != std::string::npos);
}

TEST_CASE("an error rate that rises from 0 by less than 0.1 point is not drift") {
  output::RunResult result;
  result.scenarios.push_back(constant("constant-arrival-rate", 100));
  // One failure in the last tenth's 9,000 requests.
  result.time_series = series(
      100, [](int64_t) { return 40.0; }, [](int64_t s) -> uint64_t { return s == 95 ? 1 : 0; },
      ten);
  for (auto& p : result.time_series) p.requests = 1000;
  output::Findings findings = output::compute_findings(result);
  REQUIRE(findings.drifts.size() == 1);
  CHECK(findings.drifts[0].error_rate_last > 0);
  CHECK_FALSE(findings.drifts[0].flagged);
  CHECK(output::describe(findings.drifts[0]).find(": stable") != std::string::npos);
}

TEST_CASE("drift compares the first tenth after the warm-up, not the warm-up") {
  output::RunResult result;
  result.scenarios.push_back(constant("constant-vus", 100));
  // Slow while warming up (first 10 s), then flat: no drift.
  result.time_series = series(
      100, [](int64_t s) { return s < 10 ? 400.0 : 40.0; }, none, ten);
  output::Findings findings = output::compute_findings(result);
  REQUIRE(findings.drifts.size() == 1);
  CHECK(findings.drifts[0].p95_first_ms == 40);
  CHECK_FALSE(findings.drifts[0].flagged);

  // Growing 40 -> 60 ms over the run is +50%.
  result.time_series = series(
      100, [](int64_t s) { return s < 50 ? 40.0 : 60.0; }, none, ten);
  findings = output::compute_findings(result);
  REQUIRE(findings.drifts.size() == 1);
  CHECK(findings.drifts[0].p95_change_percent == Approx(50));
  CHECK(findings.drifts[0].flagged);
}

TEST_CASE("a scenario shorter than the drift minimum has no drift") {
  output::RunResult result;
  result.scenarios.push_back(constant("constant-vus", output::kDriftMinSeconds - 1));
  result.time_series = series(
      59, [](int64_t s) { return 10.0 * static_cast<double>(s + 1); }, none, ten);
  CHECK(output::compute_findings(result).drifts.empty());
}

TEST_CASE("a scenario that is not constant has no drift") {
  auto growing = [](int64_t s) { return 10.0 * static_cast<double>(s + 1); };
  for (const char* executor : {"per-vu-iterations", "shared-iterations", "externally-controlled"}) {
    output::RunResult result;
    result.scenarios.push_back(constant(executor, 120));
    result.time_series = series(120, growing, none, ten);
    CHECK(output::compute_findings(result).empty());
  }
  output::RunResult result;
  result.scenarios.push_back(ramping({{60, 10}, {60, 10}}, 10));
  result.time_series = series(120, growing, none, ten);
  output::Findings findings = output::compute_findings(result);
  CHECK(findings.drifts.empty());
  CHECK(findings.breaking_points.size() == 1);
}
