#include <catch2/catch.hpp>

#include <functional>
#include <utility>

#include "engine/analysis/findings.hpp"

using namespace lueng;

namespace {

result::ScenarioSummary ramping(std::vector<std::pair<double, int64_t>> stages, int64_t start_vus) {
  result::ScenarioSummary s;
  s.name = "ramp";
  s.load = result::LoadShape::kRamping;
  s.start_target = start_vus;
  s.stages = std::move(stages);
  for (const auto& stage : s.stages) s.max_duration += stage.first;
  return s;
}

result::ScenarioSummary constant(double duration,
                                 result::LoadShape load = result::LoadShape::kConstant) {
  result::ScenarioSummary s;
  s.name = "soak";
  s.load = load;
  s.vus = 10;
  s.duration = duration;
  s.max_duration = duration;
  return s;
}

// One point a second for `seconds`: 100 requests, `p95(second)` ms (also as the
// 10 s window's p95), `failed(second)` of them failed.
std::vector<result::TimePoint> series(int64_t seconds, const std::function<double(int64_t)>& p95,
                                      const std::function<uint64_t(int64_t)>& failed,
                                      const std::function<double(int64_t)>& vus) {
  std::vector<result::TimePoint> out;
  for (int64_t s = 0; s < seconds; ++s) {
    result::TimePoint p;
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
  result::RunResult result;
  // 2 VUs for 3 s, up to 10, held, back to 2 at 7 s and held to 11 s.
  result.scenarios.push_back(ramping({{3, 2}, {1, 10}, {2, 10}, {1, 2}, {4, 2}}, 2));
  result.time_series = series(
      11, [](int64_t s) { return s < 3 ? 100.0 : 500.0; }, none, ten);
  result::Findings findings = analysis::compute_findings(result);
  REQUIRE(findings.recoveries.size() == 1);
  const result::Recovery& r = findings.recoveries[0];
  CHECK(r.scenario == "ramp");
  CHECK(r.spike_start == 3);
  CHECK(r.spike_end == 7);
  CHECK(r.before_p95_ms == 100);
  CHECK_FALSE(r.recovered);
  CHECK(analysis::describe(r).find("not recovered after the spike 3s-7s") != std::string::npos);
}

TEST_CASE("a spike is recovered at the first second back within 20% of the level before") {
  result::RunResult result;
  result.scenarios.push_back(ramping({{3, 2}, {1, 10}, {2, 10}, {1, 2}, {4, 2}}, 2));
  // 121 ms is past 20% of 100; 119 ms at 9 s is within.
  result.time_series = series(
      11, [](int64_t s) { return s < 3   ? 100.0
                                 : s < 7 ? 500.0
                                 : s < 9 ? 121.0
                                         : 119.0; }, none,
      ten);
  result::Findings findings = analysis::compute_findings(result);
  REQUIRE(findings.recoveries.size() == 1);
  CHECK(findings.recoveries[0].recovered);
  CHECK(findings.recoveries[0].seconds == 2);
}

TEST_CASE("a ramp that never comes back down has no recovery") {
  result::RunResult result;
  result.scenarios.push_back(ramping({{3, 2}, {3, 20}, {3, 20}}, 2));
  result.time_series = series(
      9, [](int64_t s) { return s < 3 ? 100.0 : 900.0; }, none, ten);
  result::Findings findings = analysis::compute_findings(result);
  CHECK(findings.recoveries.empty());
  // It is still a ramping scenario: its breaking point is judged.
  REQUIRE(findings.breaking_points.size() == 1);
  CHECK_FALSE(findings.breaking_points[0].reached);
}

TEST_CASE("a ramp up from 0 is the warm-up, and the spike after it is found") {
  result::RunResult result;
  // scripts/spike.lua: 0 -> 5 VUs in 10 s, up to 100 in 10 s, held 1m, back to 5
  // in 10 s, held 2m. The spike is 10 s - 90 s; the warm-up never comes back to 0.
  result.scenarios.push_back(ramping({{10, 5}, {10, 100}, {60, 100}, {10, 5}, {120, 5}}, 0));
  result.time_series = series(
      210, [](int64_t s) { return s < 10   ? 100.0
                                  : s < 90 ? 900.0
                                  : s < 95 ? 300.0
                                           : 110.0; }, none,
      ten);
  result::Findings findings = analysis::compute_findings(result);
  REQUIRE(findings.recoveries.size() == 1);
  const result::Recovery& r = findings.recoveries[0];
  CHECK(r.spike_start == 10);
  CHECK(r.spike_end == 90);
  CHECK(r.before_p95_ms == 100);
  CHECK(r.recovered);
  CHECK(r.seconds == 5);
  CHECK(analysis::describe(r) ==
        "recovery (ramp): p95 back within 20% of 100ms 5s after the spike 10s-1m30s");
}

TEST_CASE("a warm-up in steps from 0 is not a spike either") {
  result::RunResult result;
  // 0 -> 1 -> 5 is a warm-up that never comes back to 1; 5 -> 100 -> 5 the spike.
  result.scenarios.push_back(ramping({{5, 1}, {5, 5}, {5, 100}, {5, 5}, {20, 5}}, 0));
  result.time_series = series(
      40, [](int64_t s) { return s >= 10 && s < 20 ? 900.0 : 100.0; }, none, ten);
  result::Findings findings = analysis::compute_findings(result);
  REQUIRE(findings.recoveries.size() == 1);
  CHECK(findings.recoveries[0].spike_start == 10);
  CHECK(findings.recoveries[0].spike_end == 20);
  CHECK(findings.recoveries[0].recovered);
  CHECK(findings.recoveries[0].seconds == 0);
}

TEST_CASE("a rise that ends in a ramp down to 0 is not a spike") {
  result::RunResult result;
  // scripts/load.lua's shape: up to 5, up to 10 (double), held, down to 0. The
  // test ends there: no load is left to recover at.
  result.scenarios.push_back(ramping({{120, 5}, {300, 10}, {300, 10}, {120, 0}}, 0));
  result.time_series = series(
      840, [](int64_t) { return 100.0; }, none, ten);
  CHECK(analysis::compute_findings(result).recoveries.empty());
}

TEST_CASE("the breaking point is found by the error rate of the 10 s window") {
  result::RunResult result;
  result.scenarios.push_back(ramping({{30, 60}}, 1));
  // 30 of 100 requests fail from 15 s on: 3% of the window at 15 s, 6% at 16 s.
  result.time_series = series(
      30, [](int64_t) { return 50.0; }, [](int64_t s) -> uint64_t { return s >= 15 ? 30 : 0; },
      [](int64_t s) { return 1.0 + 2.0 * static_cast<double>(s); });
  result::Findings findings = analysis::compute_findings(result);
  REQUIRE(findings.breaking_points.size() == 1);
  const result::BreakingPoint& b = findings.breaking_points[0];
  CHECK(b.reached);
  CHECK(b.cause == "error rate");
  CHECK(b.second == 16);
  CHECK(b.error_rate == Approx(0.06));
  CHECK(b.p95_ms == 50);
  CHECK(b.vus == 33);
  CHECK(b.request_rate == Approx(100));
  CHECK(analysis::describe(b).find("at 16s with 33 VUs") != std::string::npos);
}

TEST_CASE("a failure among the first few requests of a ramp is not a breaking point") {
  result::RunResult result;
  result.scenarios.push_back(ramping({{30, 30}}, 1));
  // 5 requests a second; 1 failure in second 0 is 20% of its window, then 3% errors
  // throughout: above 5% only until the window holds enough requests, and never with
  // 5 failures in it.
  result.time_series = series(
      30, ten, [](int64_t s) -> uint64_t { return s == 0 || s % 7 == 3; },
      [](int64_t s) { return 1.0 + static_cast<double>(s); });
  for (auto& p : result.time_series) p.requests = 5;
  result::Findings findings = analysis::compute_findings(result);
  REQUIRE(findings.breaking_points.size() == 1);
  CHECK_FALSE(findings.breaking_points[0].reached);

  SECTION("five failures in a window do mark it") {
    for (auto& p : result.time_series) p.failed = p.second >= 20 && p.second < 25;
    findings = analysis::compute_findings(result);
    const result::BreakingPoint& b = findings.breaking_points[0];
    REQUIRE(b.reached);
    CHECK(b.cause == "error rate");
    CHECK(b.second == 24);
  }
}

TEST_CASE("an error rate that rises from 0 is drift, whatever the p95") {
  result::RunResult result;
  result.scenarios.push_back(constant(100));
  // Warm-up 10 s; first tenth [10, 19) clean, last tenth [91, 100) at 5%.
  result.time_series = series(
      100, [](int64_t) { return 40.0; }, [](int64_t s) -> uint64_t { return s >= 91 ? 5 : 0; },
      ten);
  result::Findings findings = analysis::compute_findings(result);
  REQUIRE(findings.drifts.size() == 1);
  const result::Drift& d = findings.drifts[0];
  CHECK(d.flagged);
  CHECK(d.p95_change_percent == 0);
  CHECK(d.error_rate_first == 0);
  CHECK(d.error_rate_last == Approx(0.05));
  CHECK(analysis::describe(d).find("DRIFTING") != std::string::npos);
}

TEST_CASE("an error rate that rises from 0 by less than 0.1 point is not drift") {
  result::RunResult result;
  result.scenarios.push_back(constant(100));
  // One failure in the last tenth's 9,000 requests.
  result.time_series = series(
      100, [](int64_t) { return 40.0; }, [](int64_t s) -> uint64_t { return s == 95 ? 1 : 0; },
      ten);
  for (auto& p : result.time_series) p.requests = 1000;
  result::Findings findings = analysis::compute_findings(result);
  REQUIRE(findings.drifts.size() == 1);
  CHECK(findings.drifts[0].error_rate_last > 0);
  CHECK_FALSE(findings.drifts[0].flagged);
  CHECK(analysis::describe(findings.drifts[0]).find(": stable") != std::string::npos);
}

TEST_CASE("a few failures in a light tenth are not error-rate drift") {
  result::RunResult result;
  result.scenarios.push_back(constant(100));
  // 12 requests a second: 108 in a tenth, so 4 failures are 3.7% of the last one.
  auto failures = [](uint64_t n) {
    return [n](int64_t s) -> uint64_t { return s >= 91 && s < 91 + static_cast<int64_t>(n); };
  };
  for (uint64_t n : {4, 5}) {
    result.time_series = series(
        100, [](int64_t) { return 40.0; }, failures(n), ten);
    for (auto& p : result.time_series) p.requests = 12;
    result::Findings findings = analysis::compute_findings(result);
    REQUIRE(findings.drifts.size() == 1);
    const result::Drift& d = findings.drifts[0];
    REQUIRE(d.enough_data);
    CHECK(d.error_rate_last > 0.03);
    CHECK(d.flagged == (n >= analysis::kDriftMinExtraFailures));
  }
}

TEST_CASE("drift compares the first tenth after the warm-up, not the warm-up") {
  result::RunResult result;
  result.scenarios.push_back(constant(100));
  // Slow while warming up (first 10 s), then flat: no drift.
  result.time_series = series(
      100, [](int64_t s) { return s < 10 ? 400.0 : 40.0; }, none, ten);
  result::Findings findings = analysis::compute_findings(result);
  REQUIRE(findings.drifts.size() == 1);
  CHECK(findings.drifts[0].p95_first_ms == 40);
  CHECK_FALSE(findings.drifts[0].flagged);

  // Growing 40 -> 60 ms over the run is +50%.
  result.time_series = series(
      100, [](int64_t s) { return s < 50 ? 40.0 : 60.0; }, none, ten);
  findings = analysis::compute_findings(result);
  REQUIRE(findings.drifts.size() == 1);
  CHECK(findings.drifts[0].p95_change_percent == Approx(50));
  CHECK(findings.drifts[0].flagged);
}

TEST_CASE("a p95 that falls is an improvement, not drift") {
  result::RunResult result;
  result.scenarios.push_back(constant(100));
  for (auto [before, after] : {std::pair{40.0, 20.0}, std::pair{0.511, 0.329}}) {
    result.time_series = series(
        100, [before, after](int64_t s) { return s < 50 ? before : after; }, none, ten);
    result::Findings findings = analysis::compute_findings(result);
    REQUIRE(findings.drifts.size() == 1);
    const result::Drift& d = findings.drifts[0];
    CHECK(d.p95_change_percent < -30);
    CHECK_FALSE(d.flagged);
    CHECK(std::string(d.state()) == "stable");
    CHECK(analysis::describe(d).find(": stable (p95 improved)") != std::string::npos);
  }
}

TEST_CASE("a p95 that rises past 30% drifts only when it rose by at least 1 ms") {
  result::RunResult result;
  result.scenarios.push_back(constant(100));
  auto drift_from = [&](double before, double after) {
    result.time_series = series(
        100, [before, after](int64_t s) { return s < 50 ? before : after; }, none, ten);
    result::Findings findings = analysis::compute_findings(result);
    REQUIRE(findings.drifts.size() == 1);
    return findings.drifts[0];
  };
  // +200%, but 0.6 ms: scheduling noise on a microsecond service.
  result::Drift d = drift_from(0.3, 0.9);
  CHECK(d.p95_change_percent == Approx(200));
  CHECK_FALSE(d.flagged);
  CHECK(analysis::describe(d).find(": stable (p95 up by less than 1ms)") != std::string::npos);
  // +50% and exactly 1 ms: drift.
  CHECK(drift_from(2, 3).flagged);
  // +55% and 1.1 ms: drift.
  d = drift_from(2, 3.1);
  CHECK(d.flagged);
  CHECK(analysis::describe(d).find(": DRIFTING (past 30%)") != std::string::npos);
}

TEST_CASE("a falling error rate is not drift") {
  result::RunResult result;
  result.scenarios.push_back(constant(100));
  // 10% of requests fail in the first tenth after warm-up, none in the last.
  result.time_series = series(
      100, [](int64_t) { return 40.0; }, [](int64_t s) -> uint64_t { return s < 50 ? 10 : 0; },
      ten);
  result::Findings findings = analysis::compute_findings(result);
  REQUIRE(findings.drifts.size() == 1);
  const result::Drift& d = findings.drifts[0];
  CHECK(d.error_rate_first == Approx(0.1));
  CHECK(d.error_rate_last == 0);
  CHECK(d.error_rate_change_percent == Approx(-100));
  CHECK_FALSE(d.flagged);
}

TEST_CASE("a scenario shorter than the drift minimum has no drift") {
  result::RunResult result;
  result.scenarios.push_back(constant(analysis::kDriftMinSeconds - 1));
  result.time_series = series(
      59, [](int64_t s) { return 10.0 * static_cast<double>(s + 1); }, none, ten);
  CHECK(analysis::compute_findings(result).drifts.empty());
}

TEST_CASE("a scenario without constant load has no drift") {
  auto growing = [](int64_t s) { return 10.0 * static_cast<double>(s + 1); };
  result::RunResult other;
  other.scenarios.push_back(constant(120, result::LoadShape::kOther));
  other.time_series = series(120, growing, none, ten);
  CHECK(analysis::compute_findings(other).empty());
  // The findings go by the load shape alone, never by the executor's name.
  other.scenarios[0].executor = "ramping-vus";
  other.scenarios[0].stages = {{60, 10}, {60, 10}};
  CHECK(analysis::compute_findings(other).empty());
  // A ramp with no stage that keeps the target of the one before.
  result::RunResult result;
  result.scenarios.push_back(ramping({{60, 10}, {60, 20}}, 1));
  result.time_series = series(120, growing, none, ten);
  result::Findings findings = analysis::compute_findings(result);
  CHECK(findings.drifts.empty());
  CHECK(findings.breaking_points.size() == 1);
}

TEST_CASE("a ramping scenario's longest hold drifts, whatever its ramps do") {
  result::RunResult result;
  // Up to 20 in 10 s, held for 50 s and 50 s more (one hold of 100 s), up to 40,
  // held 70 s, down: the 10 s - 110 s hold is the longest.
  result::ScenarioSummary s =
      ramping({{10, 20}, {50, 20}, {50, 20}, {10, 40}, {70, 40}, {10, 0}}, 0);
  result.scenarios.push_back(s);
  // Warm-up 10 s, first tenth [20, 29) at 40 ms, last tenth [101, 110) at 60 ms;
  // the ramps and the shorter hold are slow, which must not matter.
  result.time_series = series(
      200, [](int64_t t) { return t < 10 || t >= 110 ? 900.0
                                  : t < 65           ? 40.0
                                                     : 60.0; }, none, ten);
  result::Findings findings = analysis::compute_findings(result);
  REQUIRE(findings.drifts.size() == 1);
  const result::Drift& d = findings.drifts[0];
  CHECK(d.scenario == "ramp");
  CHECK(d.hold);
  CHECK(d.stretch_start == 10);
  CHECK(d.stretch_end == 110);
  CHECK(d.requests_first == 900);
  CHECK(d.requests_last == 900);
  CHECK(d.p95_first_ms == 40);
  CHECK(d.p95_last_ms == 60);
  CHECK(d.p95_change_percent == Approx(50));
  CHECK(d.flagged);
  CHECK(std::string(d.state()) == "drifting");
  CHECK(analysis::describe(d) ==
        "drift (ramp, hold 10s-1m50s): p95 40ms -> 60ms (+50.0%), errors 0.00% -> 0.00%: "
        "DRIFTING (past 30%)");
}

TEST_CASE("a steady hold is stable even when its ramps are slow") {
  result::RunResult result;
  // A scenario starting at 5 s: up in 10 s, held 60 s (the minimum), down in 10 s.
  result::ScenarioSummary s = ramping({{10, 20}, {60, 20}, {10, 0}}, 1);
  s.start_time = 5;
  result.scenarios.push_back(s);
  result.time_series = series(
      85, [](int64_t t) { return t < 15 || t >= 75 ? 900.0 : 40.0; }, none, ten);
  result::Findings findings = analysis::compute_findings(result);
  REQUIRE(findings.drifts.size() == 1);
  const result::Drift& d = findings.drifts[0];
  CHECK(d.stretch_start == 15);
  CHECK(d.stretch_end == 75);
  CHECK(d.p95_first_ms == 40);
  CHECK(d.p95_last_ms == 40);
  CHECK_FALSE(d.flagged);
  CHECK(std::string(d.state()) == "stable");
  CHECK(analysis::describe(d).find("drift (ramp, hold 15s-1m15s): p95 40ms -> 40ms") == 0);
  CHECK(analysis::describe(d).find(": stable") != std::string::npos);
}

TEST_CASE("a hold shorter than the drift minimum, or at 0, has no drift") {
  result::RunResult result;
  // Two holds of 59 s each, not consecutive: neither is long enough.
  result.scenarios.push_back(ramping({{10, 20}, {59, 20}, {10, 30}, {59, 30}, {10, 0}}, 0));
  result.time_series = series(
      148, [](int64_t t) { return 10.0 * static_cast<double>(t + 1); }, none, ten);
  result::Findings findings = analysis::compute_findings(result);
  CHECK(findings.drifts.empty());
  CHECK(findings.breaking_points.size() == 1);

  // Nor is a pause at 0 VUs, however long, a hold of constant load.
  result.scenarios[0] = ramping({{10, 20}, {59, 20}, {10, 0}, {70, 0}}, 0);
  CHECK(analysis::compute_findings(result).drifts.empty());
}

TEST_CASE("drift needs 100 requests in each tenth compared, or says there is not enough data") {
  result::RunResult result;
  result.scenarios.push_back(constant(60));
  // Warm-up 6 s; first tenth [6, 11.4): 6 seconds, last tenth [54.6, 60): 5.
  // The p95 doubles and every request of the last tenth fails.
  auto at_rate = [&](uint64_t per_second) {
    result.time_series = series(
        60, [](int64_t t) { return t < 30 ? 40.0 : 80.0; },
        [per_second](int64_t t) -> uint64_t { return t >= 50 ? per_second : 0; }, ten);
    for (auto& p : result.time_series) p.requests = per_second;
    result::Findings findings = analysis::compute_findings(result);
    REQUIRE(findings.drifts.size() == 1);
    return findings.drifts[0];
  };

  result::Drift d = at_rate(1);
  CHECK(d.requests_first == 6);
  CHECK(d.requests_last == 5);
  CHECK_FALSE(d.enough_data);
  CHECK_FALSE(d.flagged);
  CHECK(std::string(d.state()) == "not enough data");
  CHECK(analysis::describe(d) ==
        "drift (soak, 0s-1m0s): not enough data (6 and 5 requests in the first and last tenth; "
        "at least 100 each)");

  // 19 a second: 114 and 95 requests, the last tenth is short of 100.
  d = at_rate(19);
  CHECK_FALSE(d.enough_data);
  CHECK_FALSE(d.flagged);

  // 20 a second: 120 and exactly 100 are enough, and the drift is found.
  d = at_rate(20);
  CHECK(d.requests_last == 100);
  CHECK(d.enough_data);
  CHECK(d.flagged);
  CHECK(d.p95_change_percent == Approx(100));
  CHECK(d.error_rate_last == 1);
  CHECK(std::string(d.state()) == "drifting");
}

TEST_CASE("a run interrupted before the last tenth has not enough data for drift") {
  result::RunResult result;
  result.scenarios.push_back(constant(100));
  // Stopped at 50 s of a 100 s scenario: the last tenth [91, 100) is empty.
  result.time_series = series(
      50, [](int64_t) { return 40.0; }, none, ten);
  result::Findings findings = analysis::compute_findings(result);
  REQUIRE(findings.drifts.size() == 1);
  CHECK(findings.drifts[0].requests_first == 900);
  CHECK(findings.drifts[0].requests_last == 0);
  CHECK_FALSE(findings.drifts[0].flagged);
  CHECK(std::string(findings.drifts[0].state()) == "not enough data");
}

TEST_CASE("a stress test's steps past the breaking point and back down are judged for recovery") {
  result::RunResult result;
  // 0 -> 10 VUs (warm-up), then steps of 5 up to 25, none of which doubles the
  // one before, then back to 10 and held: the rise is 2 s - 10 s.
  result.scenarios.push_back(ramping({{2, 10}, {2, 15}, {2, 20}, {2, 25}, {2, 10}, {6, 10}}, 0));
  result.time_series = series(
      16, [](int64_t s) { return s < 2    ? 100.0
                                 : s < 10 ? 900.0
                                 : s < 12 ? 150.0
                                          : 110.0; }, none,
      ten);
  result::Findings findings = analysis::compute_findings(result);
  REQUIRE(findings.recoveries.size() == 1);
  const result::Recovery& r = findings.recoveries[0];
  CHECK(r.spike_start == 2);
  CHECK(r.spike_end == 10);
  CHECK(r.before_p95_ms == 100);
  CHECK(r.recovered);
  CHECK(r.seconds == 2);

  // Steps that come back down before doubling are no spike.
  result.scenarios[0] = ramping({{2, 10}, {2, 15}, {2, 18}, {2, 10}, {6, 10}}, 0);
  CHECK(analysis::compute_findings(result).recoveries.empty());
}

TEST_CASE("a time-scaled warm-up shorter than a second still gives the level before the spike") {
  result::RunResult result;
  // scripts/stress.lua at TIME_SCALE=0.008: the 2m warm-up lasts 0.96 s.
  result.scenarios.push_back(ramping({{0.96, 10}, {2.4, 20}, {2.4, 50}, {0.48, 10}, {3, 10}}, 0));
  result.time_series = series(
      10, [](int64_t s) { return s < 1   ? 100.0
                                 : s < 7 ? 900.0
                                         : 100.0; }, none, ten);
  result::Findings findings = analysis::compute_findings(result);
  REQUIRE(findings.recoveries.size() == 1);
  CHECK(findings.recoveries[0].spike_start == 0);
  CHECK(findings.recoveries[0].before_p95_ms == 100);
  CHECK(findings.recoveries[0].recovered);
}
