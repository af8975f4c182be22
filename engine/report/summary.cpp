#include "engine/report/summary.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "engine/analysis/findings.hpp"
#include "engine/common/duration.hpp"
#include "engine/common/exit_codes.hpp"
#include "engine/common/format.hpp"
#include "engine/common/json_parse.hpp"
#include "engine/metrics/tags.hpp"
#include "engine/metrics/trend_stats.hpp"
#include "engine/report/failures_section.hpp"
#include "engine/report/script_errors_section.hpp"
#include "engine/report/slo_report.hpp"
#include "engine/result/script_errors.hpp"
#include "engine/result/views.hpp"

namespace lueng::report {

using analysis::describe;
using result::check_stats;
using result::endpoint_stats;
using result::Findings;
using result::RunResult;
using result::ScenarioSummary;

namespace {

struct Painter {
  bool color;
  std::string green(const std::string& text) const {
    return color ? "\x1b[32m" + text + "\x1b[0m" : text;
  }
  std::string red(const std::string& text) const {
    return color ? "\x1b[31m" + text + "\x1b[0m" : text;
  }
  std::string dim(const std::string& text) const {
    return color ? "\x1b[2m" + text + "\x1b[0m" : text;
  }
};

std::string dotted(const std::string& name, size_t width) {
  std::string line = name;
  if (line.size() < width) line.append(width - line.size(), '.');
  return line + ":";
}

std::string scenario_line(const ScenarioSummary& s) {
  std::string extra = fmt::format("gracefulStop: {}", format_duration(s.graceful_stop));
  if (s.exec != "default") extra = "exec: " + s.exec + ", " + extra;
  if (s.start_time > 0) extra = "startTime: " + format_duration(s.start_time) + ", " + extra;
  return fmt::format("           * {}: {} ({})\n", s.name, s.description, extra);
}

// The trend columns and time unit of the run's summaryTrendStats and
// summaryTimeUnit (checked when the run started; a result file of another tool
// may hold anything, which is then left out).
struct TrendColumns {
  std::vector<std::string> stats = {"avg", "min", "med", "max", "p(90)", "p(95)", "p(99)"};
  std::string unit;  // "", "s", "ms" or "us"
};

TrendColumns trend_columns(const std::string& options_json) {
  TrendColumns columns;
  rapidjson::Document options;
  if (!parse_json_bounded(options_json, options, nullptr) || !options.IsObject()) return columns;
  if (auto stats = options.FindMember("summaryTrendStats");
      stats != options.MemberEnd() && stats->value.IsArray()) {
    columns.stats.clear();
    for (const auto& stat : stats->value.GetArray())
      if (stat.IsString() && metrics::trend_stat_problem(stat.GetString()).empty())
        columns.stats.emplace_back(stat.GetString(), stat.GetStringLength());
  }
  if (auto unit = options.FindMember("summaryTimeUnit");
      unit != options.MemberEnd() && unit->value.IsString())
    columns.unit = unit->value.GetString();
  return columns;
}

// k6's humanizeDuration with a summaryTimeUnit: two decimals in that unit.
std::string format_in_unit(double ms, const std::string& unit) {
  if (unit == "s") return fmt::format("{:.2f}s", ms / 1000);
  if (unit == "ms") return fmt::format("{:.2f}ms", ms);
  if (unit == "us") return fmt::format("{:.2f}µs", ms * 1000);
  return format_ms(ms);
}

std::string trend_values(const metrics::MetricData& metric, const TrendColumns& columns) {
  const metrics::Histogram& h = metric.total.trend;
  std::string out;
  for (size_t i = 0; i < columns.stats.size(); ++i) {
    const std::string& stat = columns.stats[i];
    double v = metrics::trend_stat_value(h, stat).value_or(0);
    // As k6, a count is a plain number, whatever the metric holds.
    std::string text = stat == "count"      ? fmt::format("{}", h.count())
                       : metric.def.is_time ? format_in_unit(v, columns.unit)
                                            : format_number(v);
    bool last = i + 1 == columns.stats.size();
    out += last ? fmt::format("{}={}", stat, text) : fmt::format("{}={:<9} ", stat, text);
  }
  return out;
}

std::string metric_values(const metrics::MetricData& metric, double seconds, const Painter& paint,
                          const TrendColumns& columns) {
  const metrics::Aggregate& a = metric.total;
  double rate_base = seconds > 0 ? seconds : 1;
  switch (metric.def.type) {
    case metrics::MetricType::kTrend:
      return trend_values(metric, columns);
    case metrics::MetricType::kCounter: {
      bool data = metric.def.name.starts_with("data_");
      std::string total = data ? format_bytes(a.sum) : format_number(a.sum);
      std::string rate =
          data ? format_bytes(a.sum / rate_base) + "/s" : format_number(a.sum / rate_base) + "/s";
      return fmt::format("{:<8} {}", total, rate);
    }
    case metrics::MetricType::kRate: {
      uint64_t fails = a.count - a.nonzero;
      return fmt::format("{:<8} {} {:<8} {} {}", format_percent(a.rate()), paint.green("✓"),
                         a.nonzero, paint.red("✗"), fails);
    }
    case metrics::MetricType::kGauge:
      return fmt::format("{:<8} min={:<8} max={}", format_number(a.last), format_number(a.min),
                         format_number(a.max));
  }
  return "";
}

// An iteration-count scenario its maxDuration ended before its iterations did
// (a slow target): the load asked for was not delivered, and nothing else says so.
std::string short_of_iterations(const RunResult& result, const Painter& paint) {
  // A stop, an abort or a broken script says why already; a segment runs a part.
  bool ended_by_itself = result.exit_code == kExitOk || result.exit_code == kExitSloFailed ||
                         result.exit_code == kExitSloCritical;
  if (!ended_by_itself || !result.slo.aborted_by.empty() || result.execution_segment) return "";
  std::string out;
  for (const ScenarioSummary& s : result.scenarios) {
    int64_t asked = s.iterations_total;
    int64_t ran = s.iterations_completed + s.iterations_interrupted;
    if (asked == 0 || ran >= asked) continue;
    out += paint.red(fmt::format(
        "     WARN scenario {}: {} of {} iterations ran, its maxDuration ({}) ended it first\n",
        s.name, ran, asked, format_duration(s.max_duration)));
  }
  return out;
}

// "::a::b" -> {"a", "b"}; the root group "" -> {}.
std::vector<std::string_view> group_names(std::string_view path) {
  std::vector<std::string_view> names;
  while (path.starts_with("::")) {
    path.remove_prefix(2);
    size_t end = path.find("::");
    names.push_back(path.substr(0, end));
    path = end == std::string_view::npos ? std::string_view{} : path.substr(end);
  }
  return names;
}

// As k6, a tree: each group under its parent, its own checks before its
// subgroups', so that two groups of one name in different places stay apart.
void render_checks(std::string& out, const RunResult& result, const Painter& paint) {
  auto checks = check_stats(result);
  if (checks.empty()) return;
  // Each check's group path split once, then ordered by it (name order within).
  std::vector<std::pair<std::vector<std::string_view>, const result::CheckStats*>> tree;
  for (const auto& check : checks) tree.emplace_back(group_names(check.group), &check);
  std::stable_sort(tree.begin(), tree.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<std::string_view> open;  // the groups whose headers are printed
  for (auto& [names, stats] : tree) {
    const result::CheckStats& check = *stats;
    size_t common = 0;
    while (common < open.size() && common < names.size() && open[common] == names[common]) ++common;
    for (size_t level = common; level < names.size(); ++level) {
      if (!out.ends_with("\n\n")) out += '\n';  // a group right inside another: one blank line
      out += fmt::format("{:{}}█ {}\n\n", "", 5 + 2 * level, names[level]);
    }
    open = std::move(names);
    std::string indent(5 + 2 * open.size(), ' ');
    if (check.fails == 0) {
      out += indent + paint.green("✓ " + check.name) + "\n";
    } else {
      uint64_t total = check.passes + check.fails;
      out += indent + paint.red("✗ " + check.name) + "\n";
      out += indent +
             paint.red(fmt::format(" ↳  {}% — ✓ {} / ✗ {}",
                                   static_cast<int>(100.0 * check.passes / total), check.passes,
                                   check.fails)) +
             "\n";
    }
  }
  out += "\n";
}

void render_endpoints(std::string& out, const RunResult& result) {
  auto endpoints = endpoint_stats(result, result::EndpointKey::kEndpoint);
  if (endpoints.empty()) return;
  size_t width = 8;
  for (const auto& e : endpoints) width = std::max(width, e.method.size() + 1 + e.name.size());
  width = std::min<size_t>(width, 72);
  double seconds = result.duration_seconds > 0 ? result.duration_seconds : 1;
  out += fmt::format("\n     {:<{}} {:>9} {:>9} {:>9} {:>9} {:>9} {:>9} {:>9}\n", "endpoint", width,
                     "reqs", "fails", "req/s", "p(50)", "p(95)", "p(99)", "max");
  for (const auto& e : endpoints) {
    std::string label = e.method + " " + e.name;
    if (label.size() > width) label = label.substr(0, width - 1) + "…";
    out += fmt::format("     {:<{}} {:>9} {:>9} {:>9} {:>9} {:>9} {:>9} {:>9}\n", label, width,
                       e.requests, e.failures, format_number(e.requests / seconds),
                       format_ms(e.duration.percentile(50)), format_ms(e.duration.percentile(95)),
                       format_ms(e.duration.percentile(99)), format_ms(e.duration.max()));
  }
}

}  // namespace

std::string render_scenarios(const RunResult& result) {
  double longest = 0;
  for (const auto& s : result.scenarios)
    longest = std::max(longest, s.start_time + s.max_duration + s.graceful_stop);
  std::string out = fmt::format("\n     script: {}\n", result.script);
  if (result.random_seed) out += fmt::format("random seed: {}\n", *result.random_seed);
  out += fmt::format(
      "  scenarios: {} scenario{}, {} max VUs, {} max duration (incl. graceful stop):\n",
      result.scenarios.size(), result.scenarios.size() == 1 ? "" : "s", result.max_vus,
      format_duration(longest));
  for (const auto& s : result.scenarios) out += scenario_line(s);
  return out;
}

std::string render_summary(const RunResult& result, const SummaryStyle& style) {
  Painter paint{style.color};
  std::string out;
  if (style.scenarios) out += render_scenarios(result) + "\n";
  out += "\n";

  render_checks(out, result, paint);

  TrendColumns columns = trend_columns(result.options_json);
  size_t width = 0;
  for (const auto& metric : result.metrics.metrics())
    if (metric.total.count > 0) width = std::max(width, metric.def.name.size());
  width = std::max<size_t>(width + 12, 32);
  // Alphabetical, as k6 prints them: related metrics (http_req_*) stay together.
  std::vector<const metrics::MetricData*> shown;
  for (const auto& metric : result.metrics.metrics())
    if (metric.total.count > 0) shown.push_back(&metric);
  std::sort(shown.begin(), shown.end(),
            [](const auto* a, const auto* b) { return a->def.name < b->def.name; });
  for (const auto* metric : shown) {
    out += "     " + dotted(metric->def.name, width) + " " +
           metric_values(*metric, result.duration_seconds, paint, columns) + "\n";
    // Sub-metrics that thresholds select, under their metric as k6 prints them.
    for (const auto& [filter, aggregate] : metric->submetrics) {
      if (aggregate.count == 0) continue;
      std::string label;
      metrics::for_each_tag(filter, [&](std::string_view key, std::string_view value) {
        label += (label.empty() ? "{ " : ", ") + std::string(key) + ":" + std::string(value);
      });
      metrics::MetricData sub{metric->def, aggregate, {}, {}};
      out += "       " + dotted(label + " }", width - 2) + " " +
             metric_values(sub, result.duration_seconds, paint, columns) + "\n";
    }
  }

  render_endpoints(out, result);
  out += render_failures(result);

  const Findings& findings = result.findings;
  if (!findings.empty()) {
    out += "\n     findings\n";
    for (const auto& f : findings.breaking_points) out += "       " + describe(f) + "\n";
    for (const auto& f : findings.recoveries) out += "       " + describe(f) + "\n";
    for (const auto& f : findings.drifts) out += "       " + describe(f) + "\n";
    if (findings.generator) out += "       " + paint.red(describe(*findings.generator)) + "\n";
    for (const auto& f : findings.target_growth)
      out += "       " + (f.flagged ? paint.red(describe(f)) : describe(f)) + "\n";
  }

  out += "\n";
  int64_t completed = 0, interrupted = 0;
  for (const auto& s : result.scenarios) {
    completed += s.iterations_completed;
    interrupted += s.iterations_interrupted;
  }
  std::string ran =
      fmt::format("     running ({}), {} worker{}, {} complete and {} interrupted iterations",
                  format_ms(result.duration_seconds * 1000), result.workers,
                  result.workers == 1 ? "" : "s", completed, interrupted);
  if (result.interrupted) ran += ", " + paint.red("interrupted: " + result.interrupt_reason);
  if (result.partial) ran += ", " + paint.red("partial: written during the run");
  if (!result.slo.aborted_by.empty())
    ran += ", " + paint.red("aborted by abort_on_fail of " + result.slo.aborted_by);
  out += paint.dim(ran) + "\n";
  out += short_of_iterations(result, paint);
  if (result.overflowed_tag_sets > 0)
    out += paint.red(fmt::format(
        "     WARN {} tag sets beyond the cardinality bound were folded into name=(other)\n",
        result.overflowed_tag_sets));
  if (result.dropped_samples > 0)
    out += paint.red(fmt::format(
        "     WARN {} samples were dropped from the streaming outputs (--out): the writer could "
        "not keep up; the summary and the result file still count them\n",
        result.dropped_samples));
  out += render_script_errors(result);
  out += render_slo_section(result.slo, style.color);
  // Without SLOs there is no SLO section, but script errors still have a verdict.
  if (result.slo.results.empty() && (!result.script_errors.empty() || result.slo.exit_code != 0)) {
    std::string verdict = "     verdict:    " + slo_verdict_line(result.slo);
    out += "\n" + (result.slo.exit_code == 0 ? verdict : paint.red(verdict)) + "\n";
  }
  return out;
}

}  // namespace lueng::report
