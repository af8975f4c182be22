#include "engine/analysis/compare.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <string_view>

#include <fmt/format.h>

#include "engine/analysis/key_metrics.hpp"
#include "engine/metrics/metric.hpp"
#include "engine/result/views.hpp"
#include "engine/thresholds/evaluate.hpp"

namespace lueng::analysis {

using result::check_stats;
using result::CheckStats;
using result::endpoint_stats;
using result::EndpointStats;
using result::RunResult;

namespace {

constexpr double kRateFloor = 0.001;  // 0.1 percentage point

// Which way a number gets worse, and so how it is gated.
enum class Gate {
  kLowerIsBetter,   // latency, error rate
  kHigherIsBetter,  // throughput
  kPassRate,        // a check's pass rate: its failure rate is judged like the error rate
  kNone,            // shown, never a regression
};

// A ratio that rises (error rate, failure rate) is worse past the tolerance and
// the 0.1-point floor, so 0 against 1 failure in 100,000 is no regression.
bool rate_rose(double base, double current, double tolerance) {
  return current > base * (1 + tolerance) && current - base >= kRateFloor;
}

bool is_regression(Gate gate, double base, double current, double tolerance, bool is_ratio) {
  switch (gate) {
    case Gate::kLowerIsBetter:
      if (is_ratio) return rate_rose(base, current, tolerance);
      return current > base * (1 + tolerance) && current > 0;
    case Gate::kHigherIsBetter:
      return current < base * (1 - tolerance);
    case Gate::kPassRate:
      return rate_rose(1 - base, 1 - current, tolerance);
    case Gate::kNone:
      return false;
  }
  return false;
}

ComparisonRow make_row(const std::string& scope, const std::string& metric, double base,
                       double current, Gate gate, bool is_time, bool is_ratio, double tolerance) {
  ComparisonRow row;
  row.scope = scope;
  row.metric = metric;
  row.is_time = is_time;
  row.is_ratio = is_ratio;
  row.baseline = base;
  row.current = current;
  if (base != 0) row.delta_percent = (current - base) / std::fabs(base) * 100;
  row.gated = gate != Gate::kNone;
  row.regression = is_regression(gate, base, current, tolerance, is_ratio);
  return row;
}

// "http://127.0.0.1:8000/api?x" -> "/api?x": the same endpoint on another host.
std::string endpoint_key(const EndpointStats& e) {
  std::string name = e.name;
  size_t scheme = name.find("://");
  if (scheme != std::string::npos && name.find_first_of("/?#") >= scheme) {
    size_t path = name.find_first_of("/?#", scheme + 3);
    name = path == std::string::npos ? "/" : name.substr(path);
  }
  return e.method + " " + name;
}

struct Side {
  uint64_t requests = 0, failed = 0;
  double rate = 0, avg = 0, p50 = 0, p90 = 0, p95 = 0, p99 = 0, max = 0;
};

Side side_of(const KeyMetrics& k) {
  return {k.requests,     k.failed,       k.request_rate, k.duration_avg, k.duration_p50,
          k.duration_p90, k.duration_p95, k.duration_p99, k.duration_max};
}

Side side_of(const EndpointStats& e, double seconds) {
  const metrics::Histogram& h = e.duration;
  return {e.requests,       e.failures,       e.requests / seconds, h.mean(), h.percentile(50),
          h.percentile(90), h.percentile(95), h.percentile(99),     h.max()};
}

double seconds_of(const RunResult& result) {
  return result.duration_seconds > 0 ? result.duration_seconds : 1;
}

// The http numbers of one scope, or a line in not_enough_data when either run
// has too few requests in it to judge.
void compare_sides(Comparison& c, const std::string& scope, const Side& b, const Side& k) {
  if (b.requests < kCompareMinSamples || k.requests < kCompareMinSamples) {
    c.not_enough_data.push_back({false, scope, b.requests, k.requests});
    return;
  }
  double tolerance = c.tolerance_percent / 100;
  auto add = [&](const char* metric, double base, double current, Gate gate, bool is_time,
                 bool is_ratio) {
    c.rows.push_back(make_row(scope, metric, base, current, gate, is_time, is_ratio, tolerance));
  };
  double b_errors = static_cast<double>(b.failed) / static_cast<double>(b.requests);
  double k_errors = static_cast<double>(k.failed) / static_cast<double>(k.requests);
  add("requests", static_cast<double>(b.requests), static_cast<double>(k.requests), Gate::kNone,
      false, false);
  add("req/s", b.rate, k.rate, Gate::kHigherIsBetter, false, false);
  add("error rate", b_errors, k_errors, Gate::kLowerIsBetter, false, true);
  add("avg", b.avg, k.avg, Gate::kNone, true, false);
  add("p(50)", b.p50, k.p50, Gate::kLowerIsBetter, true, false);
  add("p(90)", b.p90, k.p90, Gate::kLowerIsBetter, true, false);
  add("p(95)", b.p95, k.p95, Gate::kLowerIsBetter, true, false);
  add("p(99)", b.p99, k.p99, Gate::kLowerIsBetter, true, false);
  add("max", b.max, k.max, Gate::kNone, true, false);
}

std::map<std::string, EndpointStats> by_endpoint(const RunResult& result) {
  std::map<std::string, EndpointStats> out;
  for (const auto& e : endpoint_stats(result)) {
    EndpointStats& into = out[endpoint_key(e)];
    into.requests += e.requests;
    into.failures += e.failures;
    into.duration.merge(e.duration);
  }
  return out;
}

void compare_http(Comparison& c, const RunResult& baseline, const RunResult& current) {
  compare_sides(c, "", side_of(key_metrics(baseline)), side_of(key_metrics(current)));
  std::map<std::string, EndpointStats> base_endpoints = by_endpoint(baseline);
  std::map<std::string, EndpointStats> current_endpoints = by_endpoint(current);
  for (const auto& [key, b] : base_endpoints) {
    auto it = current_endpoints.find(key);
    if (it == current_endpoints.end()) {
      c.only_in_baseline.push_back(key);
      continue;
    }
    compare_sides(c, key, side_of(b, seconds_of(baseline)),
                  side_of(it->second, seconds_of(current)));
  }
  for (const auto& [key, e] : current_endpoints)
    if (!base_endpoints.count(key)) c.only_in_current.push_back(key);
}

struct CheckCounts {
  uint64_t passes = 0, fails = 0;
  uint64_t total() const { return passes + fails; }
  double pass_rate() const { return static_cast<double>(passes) / static_cast<double>(total()); }
};

// "status is 200", or "booking::status is 200" in the group "::booking": a check
// of the same name in two groups stays two checks.
std::string check_key(const CheckStats& check) {
  if (check.group.empty()) return check.name;
  std::string_view group = check.group;
  if (group.rfind("::", 0) == 0) group.remove_prefix(2);
  return std::string(group) + "::" + check.name;
}

// All checks under "", then each by its key.
std::map<std::string, CheckCounts> checks_of(const RunResult& result) {
  std::map<std::string, CheckCounts> out;
  for (const auto& check : check_stats(result)) {
    std::string key = check_key(check);
    for (const std::string& scope : {std::string(), key}) {
      out[scope].passes += check.passes;
      out[scope].fails += check.fails;
    }
  }
  return out;
}

void compare_checks(Comparison& c, const RunResult& baseline, const RunResult& current) {
  std::map<std::string, CheckCounts> base_checks = checks_of(baseline);
  std::map<std::string, CheckCounts> current_checks = checks_of(current);
  for (const auto& [scope, b] : base_checks) {
    auto it = current_checks.find(scope);
    if (it == current_checks.end()) continue;
    const CheckCounts& k = it->second;
    if (b.total() < kCompareMinSamples || k.total() < kCompareMinSamples) {
      c.not_enough_data.push_back({true, scope, b.total(), k.total()});
      continue;
    }
    c.check_rows.push_back(make_row(scope, "pass rate", b.pass_rate(), k.pass_rate(),
                                    Gate::kPassRate, false, true, c.tolerance_percent / 100));
  }
}

// The built-in http metrics are compared per endpoint, checks per check; every
// other metric (the script's own, iterations, data, vus...) is compared here.
bool compared_elsewhere(const std::string& name) {
  static const metrics::MetricCatalog builtins;
  std::optional<metrics::MetricId> id = builtins.find(name);
  if (!id || *id >= metrics::builtin::kCount) return false;
  return name.rfind("http_", 0) == 0 || *id == metrics::builtin::kChecks;
}

// A metric's headline numbers: a trend's p(95) and avg, a counter's count per
// second of the run (runs of different lengths compare), a rate's fraction, a
// gauge's last value.
std::vector<std::pair<const char*, double>> headline(const metrics::MetricData& m, double seconds) {
  const metrics::Aggregate& a = m.total;
  switch (m.def.type) {
    case metrics::MetricType::kTrend:
      return {{"p(95)", a.trend.percentile(95)}, {"avg", a.trend.mean()}};
    case metrics::MetricType::kCounter:
      return {{"count/s", a.sum / seconds}};
    case metrics::MetricType::kRate:
      return {{"rate", a.rate()}};
    case metrics::MetricType::kGauge:
      return {{"value", a.last}};
  }
  return {};
}

// Not gated: lueng cannot tell whether more of a custom metric is better (a cart
// value) or worse (a queue time); a threshold in the script says so, and its SLO
// is compared below.
void compare_metrics(Comparison& c, const RunResult& baseline, const RunResult& current) {
  for (const auto& b : baseline.metrics.metrics()) {
    if (compared_elsewhere(b.def.name) || b.total.count == 0) continue;
    const metrics::MetricData* k = current.metrics.find(b.def.name);
    if (!k || k->total.count == 0 || k->def.type != b.def.type) continue;
    auto base_values = headline(b, seconds_of(baseline));
    auto current_values = headline(*k, seconds_of(current));
    bool is_ratio = b.def.type == metrics::MetricType::kRate;
    bool is_time = b.def.type == metrics::MetricType::kTrend && b.def.is_time;
    for (size_t i = 0; i < base_values.size(); ++i)
      c.metric_rows.push_back(make_row(b.def.name, base_values[i].first, base_values[i].second,
                                       current_values[i].second, Gate::kNone, is_time, is_ratio,
                                       c.tolerance_percent / 100));
  }
}

std::string slo_key(const thresholds::SloResult& r) {
  return r.slo.selector.text + " " + r.slo.threshold.text;
}

// Met as the run's own verdict counts it: PASS, WARNING unless --strict, NO DATA
// with allow_empty.
bool met(const thresholds::SloResult& r, bool strict) {
  return thresholds::failure_level(r, strict) == 0;
}

// Each SLO of either run, matched by key and threshold (the n-th of a repeated
// one with the n-th); a regression when met in the baseline and failing now.
void compare_slos(Comparison& c, const thresholds::SloReport& baseline,
                  const thresholds::SloReport& current) {
  std::vector<bool> matched(current.results.size(), false);
  for (const auto& b : baseline.results) {
    SloComparison s;
    s.slo = slo_key(b);
    s.baseline = b.status;
    for (size_t i = 0; i < current.results.size(); ++i) {
      const auto& k = current.results[i];
      if (matched[i] || slo_key(k) != s.slo) continue;
      matched[i] = true;
      s.current = k.status;
      s.regression = met(b, baseline.strict) && !met(k, current.strict);
      break;
    }
    c.slos.push_back(s);
  }
  for (size_t i = 0; i < current.results.size(); ++i)
    if (!matched[i]) c.slos.push_back({slo_key(current.results[i]), {}, current.results[i].status});
}

std::string file_name(const std::string& path) {
  size_t slash = path.find_last_of('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

std::string scenario_list(const RunResult& result) {
  std::set<std::string> scenarios;
  for (const auto& s : result.scenarios) scenarios.insert(s.name + " (" + s.executor + ")");
  std::string out;
  for (const auto& s : scenarios) out += (out.empty() ? "" : ", ") + s;
  return out.empty() ? "none" : out;
}

// Scripts are matched by file name: the same script checked out elsewhere (CI
// and a laptop) has another directory, not another name.
void warn_if_different(Comparison& c, const RunResult& baseline, const RunResult& current) {
  std::string base_script = file_name(baseline.script), current_script = file_name(current.script);
  if (!base_script.empty() && !current_script.empty() && base_script != current_script)
    c.warnings.push_back(fmt::format(
        "different scripts: the baseline ran {}, the current run {}; the numbers may not compare",
        base_script, current_script));
  std::string base_scenarios = scenario_list(baseline), current_scenarios = scenario_list(current);
  if (base_scenarios != current_scenarios)
    c.warnings.push_back(fmt::format(
        "different scenarios: the baseline ran {}, the current run {}; the numbers may not "
        "compare",
        base_scenarios, current_scenarios));
}

}  // namespace

size_t Comparison::gated_values() const {
  size_t n = 0;
  for (const auto* list : {&rows, &check_rows})
    for (const auto& row : *list) n += row.gated;
  return n;
}

size_t Comparison::regressed_values() const {
  size_t n = 0;
  for (const auto* list : {&rows, &check_rows})
    for (const auto& row : *list) n += row.regression;
  return n;
}

size_t Comparison::regressed_slos() const {
  return static_cast<size_t>(
      std::count_if(slos.begin(), slos.end(), [](const auto& s) { return s.regression; }));
}

bool Comparison::regressed() const {
  return regressed_values() > 0 || regressed_slos() > 0;
}

std::string Comparison::verdict() const {
  std::string out =
      fmt::format("{}: {} of {} gated values worse than the baseline by more than {:g}%",
                  regressed() ? "REGRESSION" : "NO REGRESSION", regressed_values(), gated_values(),
                  tolerance_percent);
  size_t in_both = static_cast<size_t>(std::count_if(
      slos.begin(), slos.end(), [](const auto& s) { return s.baseline && s.current; }));
  if (in_both) out += fmt::format(", {} of {} SLOs failing that passed", regressed_slos(), in_both);
  if (!not_enough_data.empty())
    out += fmt::format(", {} not compared (not enough data)", not_enough_data.size());
  return out;
}

Comparison compare_runs(const RunResult& baseline, const RunResult& current,
                        double tolerance_percent) {
  Comparison c;
  c.tolerance_percent = tolerance_percent;
  warn_if_different(c, baseline, current);
  compare_http(c, baseline, current);
  compare_checks(c, baseline, current);
  compare_metrics(c, baseline, current);
  compare_slos(c, baseline.slo, current.slo);
  return c;
}

std::optional<double> parse_tolerance(const std::string& text) {
  std::string number = text;
  if (!number.empty() && number.back() == '%') number.pop_back();
  if (number.empty() || number.find_first_not_of("0123456789.") != std::string::npos)
    return std::nullopt;
  try {
    size_t used = 0;
    double value = std::stod(number, &used);
    if (used != number.size() || value < 0 || value > 1000) return std::nullopt;
    return value;
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

}  // namespace lueng::analysis
