#include "engine/thresholds/windows.hpp"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "engine/thresholds/evaluate.hpp"

namespace lueng::thresholds {

namespace {

// What the per-second series keeps of each metric (engine/result/slo_series.cpp
// makes the SecondValues of the same names).
bool is_counted(std::string_view metric) {
  return metric == "http_reqs" || metric == "iterations" || metric == "data_sent" ||
         metric == "data_received" || metric == "dropped_iterations";
}

bool is_rate(std::string_view metric) {
  return metric == "http_req_failed" || metric == "checks";
}

constexpr const char* kWindowed =
    "http_req_failed, checks, http_reqs, iterations, data_sent, data_received, "
    "dropped_iterations and http_req_duration (avg, max)";

struct Window {
  int64_t from = 0, to = 0;
  uint64_t samples = 0;
  double sum = 0, max = 0;
  double seconds = 0;
};

double measure_window(const Expression& e, metrics::MetricType type, const Window& w) {
  switch (e.aggregation) {
    case Aggregation::kCount:
      return w.sum;
    case Aggregation::kRate:
      if (type == metrics::MetricType::kCounter) return w.seconds > 0 ? w.sum / w.seconds : 0;
      return w.samples ? w.sum / static_cast<double>(w.samples) : 0;
    case Aggregation::kAvg:
      return w.samples ? w.sum / static_cast<double>(w.samples) : 0;
    case Aggregation::kMax:
      return w.max;
    default:
      return 0;  // window_problem() lets no other aggregation through
  }
}

// Whether `a` misses `e` by more than `b` does: the highest value for < and <=,
// the lowest for > and >=, and for == and != a miss over a hit.
bool worse(const Expression& e, double a, double b) {
  switch (e.comparison) {
    case Comparison::kLess:
    case Comparison::kLessEqual:
      return a > b;
    case Comparison::kGreater:
    case Comparison::kGreaterEqual:
      return a < b;
    default:
      return !e.holds(a) && e.holds(b);
  }
}

// The windows of `length` seconds ending at each second of `dense`, or, when
// the run is shorter than one, the whole run as one.
// `whole_only`: only windows that lie inside the run. A counter's count (or its
// rate per second of window) compares over whole windows: the run's last second,
// often a few milliseconds of iterations still ending, is no window of its own.
std::vector<Window> windows_of(const std::vector<SecondValue>& dense, int64_t length,
                               double run_seconds, bool whole_only) {
  std::vector<Window> out;
  auto sum_up = [&](int64_t from, int64_t to, double seconds) {
    Window w{from, to, 0, 0, 0, seconds};
    for (int64_t s = from; s < to; ++s) {
      const SecondValue& v = dense[static_cast<size_t>(s)];
      w.samples += v.samples;
      w.sum += v.sum;
      if (v.samples) w.max = w.samples == v.samples ? v.max : std::max(w.max, v.max);
    }
    out.push_back(w);
  };
  auto seconds = static_cast<int64_t>(dense.size());
  int64_t last_end =
      whole_only ? std::min(seconds, static_cast<int64_t>(run_seconds + 1e-3)) : seconds;
  if (last_end < length) {
    sum_up(0, seconds, run_seconds);
    return out;
  }
  for (int64_t end = length; end <= last_end; ++end)
    sum_up(end - length, end, static_cast<double>(length));
  return out;
}

}  // namespace

std::string window_problem(const Selector& selector, const Expression& expression) {
  const std::string& metric = selector.metric;
  if (!selector.filter.empty())
    return fmt::format(
        "the per-second series keeps whole metrics, not tags, so a window cannot select "
        "'{}'; put the window on {} itself",
        selector.text, metric);
  if (is_counted(metric) || is_rate(metric)) return "";
  if (metric == "http_req_duration") {
    if (expression.aggregation == Aggregation::kAvg || expression.aggregation == Aggregation::kMax)
      return "";
    return fmt::format(
        "'{}': a window measures http_req_duration's avg or max (the per-second series keeps no "
        "histograms to merge into a window's {}); without window, {} covers the whole run",
        expression.text, expression.aggregation_text(), expression.aggregation_text());
  }
  return fmt::format("the per-second series does not keep {}; a window applies to {}", metric,
                     kWindowed);
}

bool has_full_window(const SloDefinition& slo, const std::vector<SecondValue>& seconds) {
  return !seconds.empty() && seconds.back().second + 1 >= slo.window;
}

SloResult evaluate_windows(const SloDefinition& slo, const std::vector<SecondValue>& seconds,
                           double run_seconds, int64_t judged_from) {
  SloResult result;
  result.slo = slo;
  int64_t last = -1;
  for (const SecondValue& s : seconds) {
    result.samples += s.samples;
    last = std::max(last, s.second);
  }
  if (result.samples == 0 || slo.window <= 0) {
    result.status = slo_status(false, true, true, slo.priority);
    return result;
  }
  // Seconds missing from the series took place all the same, with nothing in them.
  std::vector<SecondValue> dense(static_cast<size_t>(last + 1));
  for (const SecondValue& s : seconds) {
    if (s.second < 0) continue;
    SecondValue& d = dense[static_cast<size_t>(s.second)];
    d.max = d.samples ? std::max(d.max, s.max) : s.max;
    d.samples += s.samples;
    d.sum += s.sum;
  }

  bool counter = slo.metric.type == metrics::MetricType::kCounter;
  WorstWindow worst;
  std::optional<double> value, warn_value;
  for (const Window& w : windows_of(dense, slo.window, run_seconds, counter)) {
    if ((!counter && w.samples == 0) || w.to < judged_from) continue;
    ++worst.windows;
    double measured = measure_window(slo.threshold, slo.metric.type, w);
    if (!slo.threshold.holds(measured)) ++worst.missed;
    if (!value || worse(slo.threshold, measured, *value)) {
      value = measured;
      worst.from = w.from;
      worst.to = w.to;
    }
    if (slo.warn) {
      double warned = measure_window(*slo.warn, slo.metric.type, w);
      if (!warn_value || worse(*slo.warn, warned, *warn_value)) warn_value = warned;
    }
  }
  if (!value) {  // every window with data ended before judged_from
    result.status = slo_status(false, true, true, slo.priority);
    return result;
  }
  result.value = *value;
  result.warn_value = warn_value;
  result.worst_window = worst;
  if (slo.threshold.bound != 0)
    result.deviation_percent =
        (result.value - slo.threshold.bound) / std::fabs(slo.threshold.bound) * 100;
  bool meets_warn = !slo.warn || slo.warn->holds(*warn_value);
  result.status = slo_status(true, worst.missed == 0, meets_warn, slo.priority);
  return result;
}

}  // namespace lueng::thresholds
