#include "engine/report/html_report.hpp"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "engine/analysis/findings.hpp"
#include "engine/analysis/key_metrics.hpp"
#include "engine/common/format.hpp"
#include "engine/common/utc_time.hpp"
#include "engine/report/failures_section.hpp"
#include "engine/report/html_metrics.hpp"
#include "engine/report/html_over_time.hpp"
#include "engine/report/markup.hpp"
#include "engine/report/monitor_section.hpp"
#include "engine/report/slo_report.hpp"
#include "engine/report/svg_chart.hpp"
#include "engine/result/failures.hpp"
#include "engine/result/script_errors.hpp"
#include "engine/result/views.hpp"

namespace lueng::report {

using analysis::describe;
using analysis::key_metrics;
using analysis::KeyMetrics;
using result::check_stats;
using result::endpoint_stats;
using result::Findings;
using result::report_verdict;
using result::ReportVerdict;
using result::RunResult;
using result::TimePoint;

namespace {

using thresholds::SloStatus;

std::string e(std::string_view text) {
  return escape_markup(text);
}

std::string utc(int64_t unix_ms) {
  return format_utc(unix_ms, UtcFormat::kReadable);
}

// The time series in at most kHtmlChartPoints buckets of whole seconds: counts
// are summed into per-second rates, VUs averaged, latency percentiles take the
// bucket's worst second so that a short spike stays visible.
struct ChartData {
  std::vector<double> x, rps, error_rate, vus, p50, p95, p99;
  // The load generator: dropped iterations per second, iteration_start_lag p(95).
  std::vector<double> dropped, start_lag;
  bool generator_data = false;  // any dropped iteration or start lag at all
};

ChartData chart_data(const std::vector<TimePoint>& series) {
  ChartData d;
  size_t per_bucket =
      std::max<size_t>(1, (series.size() + kHtmlChartPoints - 1) / kHtmlChartPoints);
  for (size_t start = 0; start < series.size(); start += per_bucket) {
    size_t end = std::min(series.size(), start + per_bucket);
    double requests = 0, failed = 0, vus = 0, p50 = 0, p95 = 0, p99 = 0, dropped = 0, lag = 0;
    for (size_t i = start; i < end; ++i) {
      const TimePoint& p = series[i];
      requests += p.requests;
      failed += p.failed;
      vus += p.vus;
      p50 = std::max(p50, p.duration_p50);
      p95 = std::max(p95, p.duration_p95);
      p99 = std::max(p99, p.duration_p99);
      dropped += static_cast<double>(p.dropped);
      lag = std::max(lag, p.start_lag_p95);
    }
    double n = static_cast<double>(end - start);
    d.x.push_back(static_cast<double>(series[start].second));
    d.rps.push_back(requests / n);
    d.error_rate.push_back(requests > 0 ? 100 * failed / requests : 0);
    d.vus.push_back(vus / n);
    d.p50.push_back(p50);
    d.p95.push_back(p95);
    d.p99.push_back(p99);
    d.dropped.push_back(dropped / n);
    d.start_lag.push_back(lag);
    d.generator_data = d.generator_data || dropped > 0 || lag > 0;
  }
  return d;
}

// SLO bounds that belong on a chart: thresholds on the whole metric (no tag
// filter) that the chart plots.
std::vector<ChartRule> latency_rules(const thresholds::SloReport& slo) {
  std::vector<ChartRule> rules;
  for (const auto& r : slo.results) {
    const auto& d = r.slo;
    if (d.selector.metric != "http_req_duration" || !d.selector.tags.empty()) continue;
    auto a = d.threshold.aggregation;
    if (a != thresholds::Aggregation::kPercentile && a != thresholds::Aggregation::kMed &&
        a != thresholds::Aggregation::kAvg && a != thresholds::Aggregation::kMax)
      continue;
    rules.push_back(
        {"SLO " + d.threshold.text, d.threshold.bound,
         r.status == SloStatus::kPass || r.status == SloStatus::kWarning ? "#2e7d32" : "#c62828"});
  }
  return rules;
}

std::vector<ChartRule> error_rules(const thresholds::SloReport& slo) {
  std::vector<ChartRule> rules;
  for (const auto& r : slo.results) {
    const auto& d = r.slo;
    if (d.selector.metric != "http_req_failed" || !d.selector.tags.empty() ||
        d.threshold.aggregation != thresholds::Aggregation::kRate)
      continue;
    rules.push_back(
        {"SLO " + d.threshold.text, d.threshold.bound * 100,
         r.status == SloStatus::kPass || r.status == SloStatus::kWarning ? "#2e7d32" : "#c62828"});
  }
  return rules;
}

std::string charts(const RunResult& result) {
  ChartData d = chart_data(result.time_series);
  auto ms = [](double v) { return format_ms(v); };
  auto number = [](double v) { return format_number(std::round(v * 100) / 100); };
  int64_t start = result.start_unix_ms;
  std::string out = "<section id=\"charts\">\n<h2>Over time</h2>\n";
  out += render_line_chart(
      {"chart-rps", "Requests per second", d.x, {{"req/s", "#1565c0", d.rps}}, {}, number, start});
  out += render_line_chart(
      {"chart-vus", "Active VUs", d.x, {{"VUs", "#6a1b9a", d.vus}}, {}, number, start});
  out += render_line_chart(
      {"chart-latency",
       "Latency (http_req_duration)",
       d.x,
       {{"p(50)", "#2e7d32", d.p50}, {"p(95)", "#ef6c00", d.p95}, {"p(99)", "#c62828", d.p99}},
       latency_rules(result.slo),
       ms,
       start});
  out += render_line_chart({"chart-errors",
                            "Error rate (http_req_failed, %)",
                            d.x,
                            {{"errors %", "#c62828", d.error_rate}},
                            error_rules(result.slo),
                            [](double v) { return fmt::format("{:.3g}%", v); },
                            start});
  // The generator's own health: only drawn when it dropped or delayed iterations
  // (arrival-rate executors), as flat zero lines would say nothing.
  if (d.generator_data) {
    out += render_line_chart({"chart-dropped",
                              "Dropped iterations per second (dropped_iterations)",
                              d.x,
                              {{"dropped/s", "#c62828", d.dropped}},
                              {},
                              number,
                              start});
    out += render_line_chart({"chart-start-lag",
                              "Iteration start lag (iteration_start_lag p(95))",
                              d.x,
                              {{"lag p(95)", "#ef6c00", d.start_lag}},
                              {},
                              ms,
                              start});
  }
  out += "</section>\n";
  return out;
}

// The latency distribution in about 40 bins, logarithmic between min and max.
std::string histogram_chart(const RunResult& result) {
  const metrics::MetricData* duration = result.metrics.find("http_req_duration");
  if (!duration) return "";
  std::string chart = render_distribution(duration->total.trend, "chart-histogram",
                                          "Latency histogram (requests per bin)", true);
  if (chart.empty()) return "";
  return "<section id=\"histogram\">\n<h2>Latency distribution</h2>\n" + chart + "</section>\n";
}

std::string status_class(SloStatus status) {
  switch (status) {
    case SloStatus::kPass:
      return "pass";
    case SloStatus::kWarning:
      return "warn";
    case SloStatus::kNoData:
      return "nodata";
    default:
      return "fail";
  }
}

std::string verdict_block(const RunResult& result) {
  const thresholds::SloReport& slo = result.slo;
  ReportVerdict verdict = report_verdict(result);
  const char* classes[] = {"pass", "warn", "fail", "nodata"};
  std::string out = fmt::format("<div id=\"verdict\" class=\"verdict {}\">{}</div>\n",
                                classes[static_cast<int>(verdict.tone)], e(verdict.text));
  if (!slo.results.empty())
    out += "<p id=\"compliance\"><b>Compliance:</b> " + e(slo_compliance_line(slo)) +
           " &middot; <b>Verdict:</b> " + e(slo_verdict_line(slo)) + "</p>\n";
  if (result.partial)
    out += "<p class=\"alert\">Partial: written during the run, the numbers so far.</p>\n";
  if (result.interrupted)
    out += "<p class=\"alert\">Interrupted (" + e(result.interrupt_reason) +
           "): the numbers cover the part that ran.</p>\n";
  if (!slo.aborted_by.empty())
    out += "<p class=\"alert\">Aborted by abort_on_fail of " + e(slo.aborted_by) + ".</p>\n";
  return out;
}

std::string metadata(const RunResult& result) {
  std::string scenarios;
  for (const auto& s : result.scenarios)
    scenarios +=
        "<li><b>" + e(s.name) + "</b>: " + e(s.executor) + ", " + e(s.description) + "</li>";
  auto row = [](const std::string& key, const std::string& value) {
    return "<tr><th>" + key + "</th><td>" + value + "</td></tr>\n";
  };
  std::string out = "<section id=\"metadata\">\n<h2>Run</h2>\n<table class=\"meta\">\n";
  out += row("script", "<code>" + e(result.script) + "</code>");
  out += row("scenarios", "<ul>" + scenarios + "</ul>");
  out += row("start", e(utc(result.start_unix_ms)));
  out += row("end", e(utc(result.end_unix_ms)));
  out += row("duration", e(format_ms(result.duration_seconds * 1000)));
  out += row("host", e(result.host));
  out += row("lueng version", e(result.lueng_version));
  out += row("workers", fmt::format("{}", result.workers));
  out += row("exit status", fmt::format("{}", result.exit_code));
  return out + "</table>\n</section>\n";
}

std::string key_metric_cards(const RunResult& result) {
  KeyMetrics k = key_metrics(result);
  auto card = [](const std::string& label, const std::string& value) {
    return "<div class=\"card\"><div class=\"label\">" + e(label) + "</div><div class=\"value\">" +
           e(value) + "</div></div>\n";
  };
  std::string out = "<section id=\"key-metrics\" class=\"cards\">\n";
  out += card("requests", fmt::format("{} ({}/s)", k.requests, format_number(k.request_rate)));
  out += card("failed", fmt::format("{} ({})", k.failed, format_percent(k.error_rate)));
  out += card("p(50)", format_ms(k.duration_p50));
  out += card("p(95)", format_ms(k.duration_p95));
  out += card("p(99)", format_ms(k.duration_p99));
  out += card("max", format_ms(k.duration_max));
  out += card("iterations", fmt::format("{}", k.iterations));
  out += card("VUs (max)", format_number(k.vus_max));
  out += card("data in / out", format_bytes(k.data_received) + " / " + format_bytes(k.data_sent));
  return out + "</section>\n";
}

std::string slo_table(const thresholds::SloReport& slo) {
  if (slo.results.empty()) return "";
  std::string out =
      "<section id=\"slos\">\n<h2>SLOs</h2>\n<table id=\"slo-table\">\n<thead><tr><th>status</th>"
      "<th>SLO</th><th>threshold</th><th>measured</th><th>warn</th><th>deviation</th>"
      "<th>priority</th><th>description</th></tr></thead>\n<tbody>\n";
  for (const auto& r : slo.results)
    out += fmt::format(
        "<tr class=\"slo {}\" data-status=\"{}\"><td class=\"status\">{} {}</td><td><code>{}</code>"
        "</td><td><code>{}</code></td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></"
        "tr>\n",
        status_class(r.status), thresholds::status_name(r.status), e(slo_mark(r.status)),
        thresholds::status_name(r.status), e(slo_name(r)), e(r.slo.threshold.text),
        e(slo_measured(r)), r.slo.warn ? "<code>" + e(r.slo.warn->text) + "</code>" : "-",
        e(slo_deviation(r)), thresholds::priority_name(r.slo.priority), e(r.slo.description));
  out += "</tbody>\n</table>\n";
  bool any = false;
  for (const auto& r : slo.results) {
    if (r.recommendations.empty() || r.status == SloStatus::kPass) continue;
    if (!any) out += "<h3>Recommendations</h3>\n<ul class=\"advice\">\n";
    any = true;
    for (const auto& advice : r.recommendations)
      out += "<li><code>" + e(r.slo.selector.text) + "</code>: " + e(advice) + "</li>\n";
  }
  if (any) out += "</ul>\n";
  return out + "</section>\n";
}

std::string endpoint_table(const RunResult& result) {
  auto endpoints = endpoint_stats(result, result::EndpointKey::kEndpoint);
  if (endpoints.empty()) return "";
  double seconds = result.duration_seconds > 0 ? result.duration_seconds : 1;
  std::string out =
      "<section id=\"endpoints\">\n<h2>Endpoints</h2>\n<table id=\"endpoint-table\">\n<thead><tr>"
      "<th>method</th><th>endpoint</th><th>requests</th><th>failures</th><th>req/s</th><th>p(50)</"
      "th>"
      "<th>p(95)</th><th>p(99)</th><th>max</th></tr></thead>\n<tbody>\n";
  for (const auto& x : endpoints)
    out += fmt::format(
        "<tr><td>{}</td><td class=\"name\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td>"
        "<td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}"
        "</td><td class=\"n\">{}</td></tr>\n",
        e(x.method), e(x.name), x.requests, x.failures, e(format_number(x.requests / seconds)),
        e(format_ms(x.duration.percentile(50))), e(format_ms(x.duration.percentile(95))),
        e(format_ms(x.duration.percentile(99))), e(format_ms(x.duration.max())));
  return out + "</tbody>\n</table>\n</section>\n";
}

std::string failure_section(const RunResult& result) {
  auto rows = result::failure_table(result);
  if (rows.empty() && result.failures_unlisted == 0) return "";
  std::string out =
      "<section id=\"failures\">\n<h2>Failures</h2>\n<table id=\"failure-table\">\n<thead><tr>"
      "<th>count</th><th>method</th><th>endpoint</th><th>status</th><th>error_code</th>"
      "<th>first error</th></tr></thead>\n<tbody>\n";
  for (const auto& row : rows)
    out += fmt::format(
        "<tr class=\"failure\"><td class=\"n\">{}</td><td>{}</td><td class=\"name\">{}</td>"
        "<td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"name\">{}</td></tr>\n",
        row.count, e(row.method), e(row.endpoint), failure_number(row.status),
        failure_number(row.error_code), e(row.message));
  if (result.failures_unlisted > 0)
    out += fmt::format(
        "<tr class=\"unlisted\"><td class=\"n\">{}</td><td colspan=\"5\">more, beyond the "
        "first {} combinations kept</td></tr>\n",
        result.failures_unlisted, result::kMaxFailureRows);
  return out + "</tbody>\n</table>\n</section>\n";
}

std::string check_table(const RunResult& result) {
  auto checks = check_stats(result);
  if (checks.empty()) return "";
  std::string out =
      "<section id=\"checks\">\n<h2>Checks</h2>\n<table id=\"check-table\">\n<thead><tr><th></th>"
      "<th>check</th><th>group</th><th>passes</th><th>fails</th><th>pass %</th></tr></thead>\n"
      "<tbody>\n";
  for (const auto& c : checks)
    out += fmt::format(
        "<tr class=\"{}\"><td>{}</td><td>{}</td><td>{}</td><td class=\"n\">{}</td><td "
        "class=\"n\">{}</td><td class=\"n pass-percent\">{}</td></tr>\n",
        c.fails ? "fail" : "pass", c.fails ? "✗" : "✓", e(c.name), e(c.group), c.passes, c.fails,
        e(format_percent(static_cast<double>(c.passes) /
                         static_cast<double>(std::max<uint64_t>(1, c.passes + c.fails)))));
  return out + "</tbody>\n</table>\n</section>\n";
}

std::string script_error_table(const RunResult& result) {
  if (result.script_errors.empty()) return "";
  std::string out =
      "<section id=\"script-errors\">\n<h2>Script errors</h2>\n<table id=\"script-error-table\">\n"
      "<thead><tr><th>count</th><th>kind</th><th>where</th><th>message</th></tr></thead>\n"
      "<tbody>\n";
  for (const auto& error : result.script_errors)
    out += fmt::format(
        "<tr class=\"{}\"><td class=\"n\">{}</td><td>{}</td><td>{}</td><td "
        "class=\"name\">{}</td></tr>\n",
        error.deliberate ? "fail-call" : "error", error.count,
        e((error.deliberate ? std::string("lueng.fail()") : std::string("error")) +
          (error.phase == "iteration" ? "" : " in " + error.phase_text())),
        e(error.location()), e(error.message));
  return out + "</tbody>\n</table>\n</section>\n";
}

constexpr const char* kStyle = R"(
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif;margin:0;
 color:#1b1b1b;background:#fafafa}
main{max-width:1240px;margin:0 auto;padding:16px 20px}
h1{font-size:22px;margin:8px 0}h2{font-size:18px;margin:24px 0 8px;border-bottom:1px solid #ddd}
table{border-collapse:collapse;width:100%;font-size:13px;background:#fff}
th,td{border:1px solid #e0e0e0;padding:4px 6px;text-align:left;vertical-align:top}
td.n{text-align:right;font-variant-numeric:tabular-nums}td.name{word-break:break-all}
table.meta th{width:140px;background:#f3f3f3}table.meta ul{margin:0;padding-left:18px}
.verdict{display:inline-block;font-size:20px;font-weight:700;padding:6px 14px;border-radius:4px;
 color:#fff}
.verdict.pass{background:#2e7d32}.verdict.warn{background:#ef6c00}.verdict.fail{background:#c62828}
.verdict.nodata{background:#616161}
tr.slo.pass td.status{color:#2e7d32}tr.slo.warn td.status{color:#ef6c00}
tr.slo.fail td.status{color:#c62828;font-weight:700}tr.slo.nodata td.status{color:#616161}
tr.fail td:first-child{color:#c62828}tr.pass td:first-child{color:#2e7d32}
.alert{color:#c62828;font-weight:600}
.swatch{display:inline-block;width:12px;height:12px;border-radius:2px;print-color-adjust:exact;
 -webkit-print-color-adjust:exact}#endpoint-legend{margin-bottom:10px}.note{color:#666;font-size:12px}
.cards{display:flex;flex-wrap:wrap;gap:8px;margin-top:12px}
.card{background:#fff;border:1px solid #e0e0e0;border-radius:4px;padding:6px 12px;min-width:110px}
.card .label{font-size:11px;color:#666}.card .value{font-size:16px;font-weight:600}
svg.chart{width:100%;height:auto;background:#fff;border:1px solid #e0e0e0;margin-bottom:10px}
svg .grid{stroke:#eee}svg rect.hover{fill:transparent}svg rect.hover:hover{fill:rgba(0,0,0,.06)}svg .axis{font-size:11px;fill:#555}svg .chart-title{font-size:13px;
 font-weight:600;fill:#222}svg .rule-label{font-size:11px}
footer{color:#777;font-size:12px;margin:24px 0}
@media print{body{background:#fff}main{max-width:none;padding:0}section{break-inside:avoid}
 svg.chart{border:none}.verdict{print-color-adjust:exact;-webkit-print-color-adjust:exact}}
)";

}  // namespace

std::string render_html_report(const RunResult& result) {
  std::string title = "lueng report: " + result.script;
  std::string out = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n";
  // Nothing may load from elsewhere: the page is complete as it is.
  out +=
      "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src "
      "'unsafe-inline'; img-src data:\">\n";
  out += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n";
  out +=
      "<title>" + e(title) + "</title>\n<style>" + kStyle + "</style>\n</head>\n<body>\n<main>\n";
  out += "<h1>lueng report: <code>" + e(result.script) + "</code></h1>\n";
  out += verdict_block(result);
  out += key_metric_cards(result);
  out += slo_table(result.slo);
  out += charts(result);
  out += html_endpoint_charts(result);
  out += histogram_chart(result);
  out += html_timing_section(result);
  out += endpoint_table(result);
  out += failure_section(result);
  out += check_table(result);
  out += html_custom_metrics_section(result);
  out += script_error_table(result);
  out += render_monitor_section(result);
  if (const Findings& findings = result.findings; !findings.empty()) {
    out += "<section id=\"findings\">\n<h2>Findings</h2>\n<ul>\n";
    for (const auto& f : findings.breaking_points)
      out += std::string("<li class=\"finding breaking-point\" data-reached=\"") +
             (f.reached ? "true" : "false") + "\">" + e(describe(f)) + "</li>\n";
    for (const auto& f : findings.recoveries)
      out += "<li class=\"finding recovery\">" + e(describe(f)) + "</li>\n";
    for (const auto& f : findings.drifts)
      out += std::string("<li class=\"finding drift\" data-state=\"") + f.state() + "\">" +
             e(describe(f)) + "</li>\n";
    if (findings.generator)
      out +=
          "<li class=\"finding generator alert\">" + e(describe(*findings.generator)) + "</li>\n";
    for (const auto& f : findings.target_growth)
      out += std::string("<li class=\"finding target-growth") + (f.flagged ? " alert" : "") +
             "\">" + e(describe(f)) + "</li>\n";
    out += "</ul>\n</section>\n";
  }
  out += metadata(result);
  out += "<footer>Generated by lueng " + e(result.lueng_version) + " from the result model of " +
         e(utc(result.start_unix_ms)) + ".</footer>\n";
  out += "</main>\n</body>\n</html>\n";
  return out;
}

}  // namespace lueng::report
