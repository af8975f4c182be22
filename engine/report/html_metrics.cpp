#include "engine/report/html_metrics.hpp"

#include <algorithm>
#include <array>
#include <cmath>

#include <fmt/format.h>

#include "engine/common/format.hpp"
#include "engine/metrics/metric.hpp"
#include "engine/report/html_over_time.hpp"
#include "engine/report/markup.hpp"
#include "engine/report/svg_chart.hpp"

namespace lueng::report {

using result::RunResult;

namespace {

std::string e(std::string_view text) {
  return escape_markup(text);
}

// The timing metrics of a request, in the order its time passes.
constexpr std::array<std::pair<const char*, const char*>, 6> kPhases = {{
    {"http_req_blocked", "blocked"},
    {"http_req_connecting", "connecting"},
    {"http_req_tls_handshaking", "TLS"},
    {"http_req_sending", "sending"},
    {"http_req_waiting", "waiting"},
    {"http_req_receiving", "receiving"},
}};

bool is_builtin(const std::string& name) {
  static const metrics::MetricCatalog builtins;  // only the built-in metrics
  return builtins.find(name).has_value();
}

std::string values_of(const metrics::MetricData& metric, double seconds) {
  const metrics::Aggregate& a = metric.total;
  switch (metric.def.type) {
    case metrics::MetricType::kTrend: {
      const metrics::Histogram& h = a.trend;
      auto v = [&](double x) { return metric.def.is_time ? format_ms(x) : format_number(x); };
      return fmt::format("avg={} min={} med={} max={} p(90)={} p(95)={} p(99)={}", v(h.mean()),
                         v(h.min()), v(h.percentile(50)), v(h.max()), v(h.percentile(90)),
                         v(h.percentile(95)), v(h.percentile(99)));
    }
    case metrics::MetricType::kCounter:
      return fmt::format("{} ({}/s)", format_number(a.sum),
                         format_number(a.sum / (seconds > 0 ? seconds : 1)));
    case metrics::MetricType::kRate:
      return fmt::format("{} ({} of {})", format_percent(a.rate()), a.nonzero, a.count);
    case metrics::MetricType::kGauge:
      return fmt::format("{} (min={} max={})", format_number(a.last), format_number(a.min),
                         format_number(a.max));
  }
  return "";
}

const char* type_name(metrics::MetricType type) {
  switch (type) {
    case metrics::MetricType::kTrend:
      return "trend";
    case metrics::MetricType::kCounter:
      return "counter";
    case metrics::MetricType::kRate:
      return "rate";
    case metrics::MetricType::kGauge:
      return "gauge";
  }
  return "";
}

}  // namespace

std::string render_distribution(const metrics::Histogram& h, const std::string& id,
                                const std::string& title, bool is_time) {
  if (h.count() == 0) return "";
  double lo = std::max(h.min(), 1e-3), hi = std::max(h.max(), lo * 1.0001);
  constexpr int kBins = 40;
  double step = std::log(hi / lo) / kBins;
  std::vector<double> counts(kBins, 0);
  h.for_each_bucket([&](int64_t index, uint64_t count) {
    double v = std::clamp(metrics::Histogram::bucket_value(index), lo, hi);
    int bin = step > 0 ? static_cast<int>(std::log(v / lo) / step) : 0;
    counts[std::clamp(bin, 0, kBins - 1)] += static_cast<double>(count);
  });
  BarChart chart{id, title, {}, counts, "#1565c0"};
  for (int i = 0; i < kBins; ++i) {
    double from = lo * std::exp(step * i);
    chart.labels.push_back(is_time ? format_ms(from) : format_number(from));
  }
  return render_bar_chart(chart);
}

std::string html_timing_section(const RunResult& result) {
  std::string rows;
  BarChart averages{"chart-timings", "Average time per phase of a request (ms)", {}, {}, "#00838f"};
  for (const auto& [name, label] : kPhases) {
    const metrics::MetricData* metric = result.metrics.find(name);
    if (!metric || metric->total.trend.count() == 0) continue;
    const metrics::Histogram& h = metric->total.trend;
    rows += fmt::format(
        "<tr data-phase=\"{}\"><td>{}</td><td><code>{}</code></td><td class=\"n\">{}</td>"
        "<td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td>"
        "<td class=\"n\">{}</td></tr>\n",
        label, label, name, e(format_ms(h.mean())), e(format_ms(h.percentile(50))),
        e(format_ms(h.percentile(95))), e(format_ms(h.percentile(99))), e(format_ms(h.max())));
    averages.labels.emplace_back(label);
    averages.values.push_back(h.mean());
  }
  if (rows.empty()) return "";
  return "<section id=\"timings\">\n<h2>Where the time went</h2>\n<table id=\"timing-table\">\n"
         "<thead><tr><th>phase</th><th>metric</th><th>avg</th><th>p(50)</th><th>p(95)</th>"
         "<th>p(99)</th><th>max</th></tr></thead>\n<tbody>\n" +
         rows + "</tbody>\n</table>\n" + render_bar_chart(averages) + "</section>\n";
}

std::string html_custom_metrics_section(const RunResult& result) {
  std::string rows, charts;
  for (const auto& metric : result.metrics.metrics()) {
    if (metric.total.count == 0 || is_builtin(metric.def.name)) continue;
    rows += fmt::format(
        "<tr class=\"custom-metric\" data-metric=\"{}\"><td><code>{}</code></td><td>{}</td>"
        "<td>{}</td></tr>\n",
        e(metric.def.name), e(metric.def.name), type_name(metric.def.type),
        e(values_of(metric, result.duration_seconds)));
    charts += html_metric_chart(result, metric.def.name);
    if (metric.def.type == metrics::MetricType::kTrend)
      charts += render_distribution(metric.total.trend, "chart-metric-" + metric.def.name,
                                    metric.def.name + " (samples per bin)", metric.def.is_time);
  }
  if (rows.empty()) return "";
  return "<section id=\"custom-metrics\">\n<h2>Custom metrics</h2>\n<table "
         "id=\"custom-metric-table\">\n<thead><tr><th>metric</th><th>type</th><th>values</th>"
         "</tr></thead>\n<tbody>\n" +
         rows + "</tbody>\n</table>\n" + charts + "</section>\n";
}

}  // namespace lueng::report
