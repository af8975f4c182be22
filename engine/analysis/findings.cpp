#include "engine/analysis/findings.hpp"

#include <algorithm>
#include <cmath>
#include <optional>

#include <fmt/format.h>

#include "engine/analysis/target_findings.hpp"
#include "engine/common/duration.hpp"
#include "engine/common/format.hpp"

namespace lueng::analysis {

using result::BreakingPoint;
using result::Drift;
using result::Findings;
using result::GeneratorLimit;
using result::LoadShape;
using result::Recovery;
using result::RunResult;
using result::ScenarioSummary;
using result::TimePoint;

namespace {

constexpr int64_t kWindow = 10;
constexpr double kErrorRateFloor = 0.001;  // error rates this close never drift

// The points of [from, to) seconds since the test start.
std::vector<const TimePoint*> span(const RunResult& result, double from, double to) {
  std::vector<const TimePoint*> out;
  for (const auto& p : result.time_series)
    if (p.second >= from && p.second < to) out.push_back(&p);
  return out;
}

// The 10 s window ending at point index i: p95 (from the time series' window
// histogram; files without it fall back to the worst second), error rate, requests.
struct Window {
  double p95 = 0, error_rate = 0, request_rate = 0;
  uint64_t requests = 0, failed = 0;
};

Window window_at(const std::vector<TimePoint>& series, size_t i) {
  Window w;
  double worst = 0;
  int64_t first = series[i].second - kWindow + 1;
  for (size_t k = i + 1; k-- > 0 && series[k].second >= first;) {
    w.requests += series[k].requests;
    w.failed += series[k].failed;
    worst = std::max(worst, series[k].duration_p95);
  }
  w.p95 = series[i].window_requests > 0 ? series[i].window_p95 : worst;
  w.error_rate = w.requests ? static_cast<double>(w.failed) / w.requests : 0;
  double seconds = static_cast<double>(std::min<int64_t>(kWindow, series[i].second + 1));
  w.request_rate = w.requests / seconds;
  return w;
}

bool is_ramping(const ScenarioSummary& s) {
  return s.load == LoadShape::kRamping;
}

BreakingPoint breaking_point(const RunResult& result, const ScenarioSummary& s) {
  BreakingPoint b;
  b.scenario = s.name;
  b.p95_limit_ms = s.breaking_p95_ms;
  b.error_rate_limit = s.breaking_error_rate;
  double end = s.start_time + s.max_duration;
  const auto& series = result.time_series;
  for (size_t i = 0; i < series.size(); ++i) {
    if (series[i].second < s.start_time || series[i].second >= end) continue;
    Window w = window_at(series, i);
    if (w.requests == 0) continue;
    bool slow = w.p95 > s.breaking_p95_ms;
    bool failing = w.error_rate > s.breaking_error_rate && w.failed >= kBreakingMinFailures;
    if (!slow && !failing) continue;
    b.reached = true;
    b.second = series[i].second;
    b.cause = slow ? "p95" : "error rate";
    b.p95_ms = w.p95;
    b.error_rate = w.error_rate;
    b.vus = series[i].vus;
    b.request_rate = w.request_rate;
    break;
  }
  return b;
}

// A spike: from the start of the stage that lifts the load above a level to the
// end of the stage that brings it back down, the load having at least doubled
// in between: in one stage (a spike test), or in steps (a stress test that goes
// past its breaking point and drops back).
struct Spike {
  double start = 0, end = 0;  // seconds since the test start
};

// The first stage from `from` on that brings the load back to at most 1.5 times
// `level` after it has reached at least twice `level`; none when it falls back
// to `level` before doubling, never comes back, or stops (a stage down to 0 ends
// the test: there is no load left to recover at).
std::optional<size_t> stage_back_from_peak(const ScenarioSummary& s, size_t from, double level) {
  double peak = 0;
  for (size_t j = from; j < s.stages.size(); ++j) {
    double target = static_cast<double>(s.stages[j].second);
    if (target == 0) return std::nullopt;
    if (peak >= 2 * level && target <= level * 1.5) return j;
    if (peak < 2 * level && target <= level) return std::nullopt;
    peak = std::max(peak, target);
  }
  return std::nullopt;
}

// The spikes of a ramping scenario's stages. A rise from 0 is the warm-up, not a
// spike: there is no load before it to be back at (scripts/spike.lua ramps 0 -> 5
// before its spike 5 -> 100 -> 5; scripts/stress.lua 0 -> 10 before its steps).
// A rise that never comes back down (the steps of a stress test that ends there)
// is not a spike either; the stages after it are still searched.
std::vector<Spike> spikes(const ScenarioSummary& s) {
  std::vector<double> starts;  // of each stage, seconds since the test start
  double t = s.start_time;
  for (const auto& stage : s.stages) {
    starts.push_back(t);
    t += stage.first;
  }
  std::vector<Spike> out;
  double level = static_cast<double>(s.start_target);
  for (size_t i = 0; i < s.stages.size(); ++i) {
    double target = static_cast<double>(s.stages[i].second);
    std::optional<size_t> back;
    if (level > 0 && target > level) back = stage_back_from_peak(s, i, level);
    if (!back) {
      level = target;
      continue;
    }
    out.push_back({starts[i], starts[*back] + s.stages[*back].first});
    level = static_cast<double>(s.stages[*back].second);
    i = *back;
  }
  return out;
}

// The window p95 just before `second`: what a spike starting then is judged
// against; 0 without requests before it.
double p95_before(const RunResult& result, int64_t second) {
  double p95 = 0;
  const auto& series = result.time_series;
  for (size_t k = 0; k < series.size(); ++k)
    if (series[k].second < second) p95 = window_at(series, k).p95;
  return p95;
}

std::vector<Recovery> recoveries(const RunResult& result, const ScenarioSummary& s) {
  std::vector<Recovery> out;
  for (const Spike& spike : spikes(s)) {
    Recovery r;
    r.scenario = s.name;
    r.spike_start = static_cast<int64_t>(std::floor(spike.start));
    r.spike_end = static_cast<int64_t>(std::ceil(spike.end));
    // The seconds mostly before the spike: one that starts 0.96 s into a
    // time-scaled run (TIME_SCALE) still has its warm-up second to be judged by.
    r.before_p95_ms = p95_before(result, std::llround(spike.start));
    if (r.before_p95_ms <= 0) continue;  // nothing measured before it to be back at
    for (const TimePoint* p : span(result, static_cast<double>(r.spike_end),
                                   s.start_time + s.max_duration + s.graceful_stop)) {
      if (p->requests == 0) continue;
      if (p->duration_p95 <= r.before_p95_ms * (1 + kRecoveryMargin)) {
        r.recovered = true;
        r.seconds = static_cast<double>(p->second - r.spike_end);
        break;
      }
    }
    out.push_back(r);
  }
  return out;
}

double median(std::vector<double> values) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  size_t n = values.size();
  return n % 2 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
}

// A tenth of a stretch: its p95 (the median of its seconds' p95, robust to one
// slow second), error rate and requests.
struct Tenth {
  double p95 = 0, error_rate = 0;
  uint64_t requests = 0, failed = 0;
};

Tenth tenth_of(const std::vector<const TimePoint*>& points) {
  std::vector<double> p95s;
  Tenth t;
  for (const TimePoint* p : points) {
    if (p->requests == 0) continue;
    p95s.push_back(p->duration_p95);
    t.requests += p->requests;
    t.failed += p->failed;
  }
  t.p95 = median(p95s);
  t.error_rate = t.requests ? static_cast<double>(t.failed) / t.requests : 0;
  return t;
}

double change_percent(double first, double last) {
  return first > 0 ? (last - first) / first * 100 : 0;
}

// The longest run of consecutive stages that keep the target of the one before
// (or the start target): [start, end) seconds since the test start; empty when
// no stage holds. Holding at 0 is a pause, not load.
std::pair<double, double> longest_hold(const ScenarioSummary& s) {
  std::pair<double, double> best{0, 0};
  std::optional<double> hold_start;  // of the hold under way
  double t = s.start_time;
  int64_t level = s.start_target;
  for (const auto& [seconds, target] : s.stages) {
    if (target != level || target == 0)
      hold_start.reset();
    else if (!hold_start)
      hold_start = t;
    t += seconds;
    level = target;
    if (hold_start && t - *hold_start > best.second - best.first) best = {*hold_start, t};
  }
  return best;
}

// The stretch of constant load drift judges, if the scenario has one long enough.
std::optional<std::pair<double, double>> constant_stretch(const ScenarioSummary& s) {
  std::pair<double, double> stretch{0, 0};
  if (s.load == LoadShape::kConstant)
    stretch = {s.start_time, s.start_time + s.duration};
  else if (is_ramping(s))
    stretch = longest_hold(s);
  if (stretch.second - stretch.first < kDriftMinSeconds) return std::nullopt;
  return stretch;
}

// Only a slower p95 drifts: a faster one is an improvement. A change under
// kDriftMinP95ChangeMs is scheduling noise however large in percent (511µs -> 700µs).
bool p95_drifted(const Drift& d) {
  return d.p95_change_percent > kDriftLimitPercent &&
         d.p95_last_ms - d.p95_first_ms >= kDriftMinP95ChangeMs;
}

// Only a rising error rate drifts, by at least the floor and by enough failures
// that they are not one or two unlucky requests.
bool errors_drifted(const Drift& d, const Tenth& first, const Tenth& last) {
  return last.error_rate - first.error_rate >= kErrorRateFloor &&
         last.failed >= first.failed + kDriftMinExtraFailures &&
         (first.error_rate == 0 || d.error_rate_change_percent > kDriftLimitPercent);
}

std::optional<Drift> drift(const RunResult& result, const ScenarioSummary& s) {
  auto stretch = constant_stretch(s);
  if (!stretch) return std::nullopt;
  auto [from, to] = *stretch;
  double warm_up = (to - from) / 10, tenth = (to - from - warm_up) / 10;
  Tenth first = tenth_of(span(result, from + warm_up, from + warm_up + tenth));
  Tenth last = tenth_of(span(result, to - tenth, to));
  Drift d;
  d.scenario = s.name;
  d.hold = is_ramping(s);
  d.stretch_start = from;
  d.stretch_end = to;
  d.requests_first = first.requests;
  d.requests_last = last.requests;
  d.min_requests = kDriftMinRequests;
  d.enough_data = first.requests >= kDriftMinRequests && last.requests >= kDriftMinRequests;
  d.p95_first_ms = first.p95;
  d.p95_last_ms = last.p95;
  d.p95_change_percent = change_percent(first.p95, last.p95);
  d.error_rate_first = first.error_rate;
  d.error_rate_last = last.error_rate;
  d.error_rate_change_percent = change_percent(first.error_rate, last.error_rate);
  d.flagged = d.enough_data && (p95_drifted(d) || errors_drifted(d, first, last));
  return d;
}

// Says why a p95 that moved past 30% is still stable, so the line does not read
// as a contradiction.
std::string drift_verdict(const Drift& d) {
  if (d.flagged) return ": DRIFTING (past 30%)";
  if (d.p95_change_percent < -kDriftLimitPercent) return ": stable (p95 improved)";
  if (d.p95_change_percent > kDriftLimitPercent)
    return fmt::format(": stable (p95 up by less than {})", format_ms(kDriftMinP95ChangeMs));
  return ": stable";
}

std::optional<GeneratorLimit> generator_limit(const RunResult& result) {
  GeneratorLimit g;
  for (const TimePoint& p : result.time_series) {
    if (p.dropped > 0) {
      g.dropped.add(p.second);
      g.dropped_iterations += p.dropped;
    }
    if (p.start_lag_p95 > kGeneratorLagMs) {
      g.lagging.add(p.second);
      g.worst_lag_p95_ms = std::max(g.worst_lag_p95_ms, p.start_lag_p95);
    }
    if (p.busy >= kGeneratorBusyShare) {
      g.saturated.add(p.second);
      g.worst_busy = std::max(g.worst_busy, p.busy);
    }
  }
  if (g.saturated.seconds < kGeneratorBusyMinSeconds) g.saturated = {};
  if (!g.any()) return std::nullopt;
  return g;
}

}  // namespace

Findings compute_findings(const RunResult& result) {
  Findings f;
  for (const auto& s : result.scenarios) {
    if (is_ramping(s)) {
      f.breaking_points.push_back(breaking_point(result, s));
      for (auto& r : recoveries(result, s)) f.recoveries.push_back(r);
    }
    if (auto d = drift(result, s)) f.drifts.push_back(*d);
  }
  f.generator = generator_limit(result);
  if (f.generator) f.generator->text = describe(*f.generator);
  f.target_growth = target_growth(result);
  return f;
}

std::string describe(const BreakingPoint& b) {
  std::string limits = fmt::format("p95 > {} or errors > {}", format_ms(b.p95_limit_ms),
                                   format_percent(b.error_rate_limit));
  if (!b.reached) return fmt::format("breaking point ({}): not reached ({})", b.scenario, limits);
  return fmt::format(
      "breaking point ({}): at {} with {} VUs, {} req/s: {} in the 10 s window (p95 {}, errors "
      "{}; limit {})",
      b.scenario, format_duration(static_cast<double>(b.second)), format_number(b.vus),
      format_number(std::round(b.request_rate * 10) / 10), b.cause, format_ms(b.p95_ms),
      format_percent(b.error_rate), limits);
}

std::string describe(const Recovery& r) {
  std::string spike =
      fmt::format("spike {}-{}", format_duration(static_cast<double>(r.spike_start)),
                  format_duration(static_cast<double>(r.spike_end)));
  if (!r.recovered)
    return fmt::format("recovery ({}): not recovered after the {} (p95 before: {})", r.scenario,
                       spike, format_ms(r.before_p95_ms));
  return fmt::format("recovery ({}): p95 back within 20% of {} {} after the {}", r.scenario,
                     format_ms(r.before_p95_ms), format_duration(r.seconds), spike);
}

std::string describe(const Drift& d) {
  std::string judged =
      fmt::format("{}{}-{}", d.hold ? "hold " : "", format_duration(d.stretch_start),
                  format_duration(d.stretch_end));
  if (!d.enough_data)
    return fmt::format(
        "drift ({}, {}): not enough data ({} and {} requests in the first and last tenth; at "
        "least {} each)",
        d.scenario, judged, d.requests_first, d.requests_last, kDriftMinRequests);
  return fmt::format("drift ({}, {}): p95 {} -> {} ({:+.1f}%), errors {} -> {}{}", d.scenario,
                     judged, format_ms(d.p95_first_ms), format_ms(d.p95_last_ms),
                     d.p95_change_percent, format_percent(d.error_rate_first),
                     format_percent(d.error_rate_last), drift_verdict(d));
}

namespace {
std::string when(const GeneratorLimit::Span& span) {
  std::string from = format_duration(static_cast<double>(span.first));
  if (span.first == span.last) return "at " + from;
  return fmt::format("in {} s from {} to {}", span.seconds, from,
                     format_duration(static_cast<double>(span.last)));
}
}  // namespace

std::string describe(const GeneratorLimit& g) {
  std::vector<std::string> parts;
  if (g.dropped.seen())
    parts.push_back(fmt::format("{} iterations dropped, no free VU (maxVUs ran out), {}",
                                g.dropped_iterations, when(g.dropped)));
  if (g.lagging.seen())
    parts.push_back(
        fmt::format("iterations started late, iteration_start_lag p95 above {} {} "
                    "(up to {})",
                    format_ms(kGeneratorLagMs), when(g.lagging), format_ms(g.worst_lag_p95_ms)));
  if (g.saturated.seen())
    parts.push_back(
        fmt::format("a worker's event loop busy {:.0f}% or more of the time {} (up to "
                    "{:.0f}%): add --threads, cores or machines",
                    kGeneratorBusyShare * 100, when(g.saturated), g.worst_busy * 100));
  std::string out = "generator: could not keep up: ";
  for (size_t i = 0; i < parts.size(); ++i) out += (i ? "; " : "") + parts[i];
  return out;
}

}  // namespace lueng::analysis
