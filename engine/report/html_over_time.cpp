#include "engine/report/html_over_time.hpp"

#include <algorithm>
#include <array>
#include <cmath>

#include <fmt/format.h>

#include "engine/common/format.hpp"
#include "engine/report/html_report.hpp"
#include "engine/report/markup.hpp"
#include "engine/report/svg_chart.hpp"

namespace lueng::report {

using result::EndpointSeries;
using result::MetricSeries;
using result::RunResult;

namespace {

// Lines a chart can tell apart; the busiest endpoints get them.
constexpr std::array<const char*, 8> kPalette = {"#1565c0", "#ef6c00", "#2e7d32", "#c62828",
                                                 "#6a1b9a", "#00838f", "#5d4037", "#9e9d24"};

// The report's x axis: the time series' seconds in buckets of whole seconds,
// as html_report.cpp's chart_data() makes them.
struct Buckets {
  std::vector<double> x;        // each bucket's first second
  std::vector<int64_t> starts;  // the same, as seconds
  std::vector<double> seconds;  // seconds of the time series in each bucket
  size_t size() const { return x.size(); }
  // The bucket a second falls in, or size() before the first.
  size_t of(int64_t second) const {
    auto it = std::upper_bound(starts.begin(), starts.end(), second);
    return it == starts.begin() ? size() : static_cast<size_t>(it - starts.begin()) - 1;
  }
};

Buckets buckets_of(const std::vector<result::TimePoint>& series) {
  Buckets b;
  size_t per_bucket =
      std::max<size_t>(1, (series.size() + kHtmlChartPoints - 1) / kHtmlChartPoints);
  for (size_t start = 0; start < series.size(); start += per_bucket) {
    b.x.push_back(static_cast<double>(series[start].second));
    b.starts.push_back(series[start].second);
    b.seconds.push_back(static_cast<double>(std::min(per_bucket, series.size() - start)));
  }
  return b;
}

std::string e(std::string_view text) {
  return escape_markup(text);
}

// A line's name: the path of a URL name (the host is the same for all of them
// as a rule), cut to fit the hover text.
std::string short_name(const EndpointSeries& series) {
  std::string name = series.name;
  if (auto scheme = name.find("://"); scheme != std::string::npos) {
    auto path = name.find('/', scheme + 3);
    name = path == std::string::npos ? "/" : name.substr(path);
  }
  if (name.size() > 40) name = name.substr(0, 39) + "\u2026";
  return series.method.empty() ? name : series.method + " " + name;
}

struct EndpointTotals {
  const EndpointSeries* series = nullptr;
  uint64_t requests = 0, failed = 0;
};

}  // namespace

std::string html_endpoint_charts(const RunResult& result) {
  Buckets b = buckets_of(result.time_series);
  if (result.endpoint_series.empty() || b.size() == 0) return "";
  std::vector<EndpointTotals> busiest;
  for (const EndpointSeries& series : result.endpoint_series) {
    EndpointTotals& totals = busiest.emplace_back();
    totals.series = &series;
    for (const auto& p : series.points) {
      totals.requests += p.requests;
      totals.failed += p.failed;
    }
  }
  std::stable_sort(busiest.begin(), busiest.end(),
                   [](const auto& x, const auto& y) { return x.requests > y.requests; });
  size_t shown = std::min(busiest.size(), kPalette.size());

  std::vector<ChartSeries> rps, p95, errors;
  bool any_failed = false;
  for (size_t i = 0; i < shown; ++i) {
    std::vector<double> requests(b.size(), 0), failed(b.size(), 0), worst(b.size(), 0);
    for (const auto& p : busiest[i].series->points) {
      size_t k = b.of(p.second);
      if (k >= b.size()) continue;
      requests[k] += static_cast<double>(p.requests);
      failed[k] += static_cast<double>(p.failed);
      worst[k] = std::max(worst[k], p.p95);  // the bucket's worst second, as the latency chart
    }
    std::vector<double> per_second(b.size()), error_rate(b.size());
    for (size_t k = 0; k < b.size(); ++k) {
      per_second[k] = requests[k] / b.seconds[k];
      error_rate[k] = requests[k] > 0 ? 100 * failed[k] / requests[k] : 0;
    }
    std::string name = short_name(*busiest[i].series);
    rps.push_back({name, kPalette[i], std::move(per_second)});
    p95.push_back({name, kPalette[i], std::move(worst)});
    errors.push_back({name, kPalette[i], std::move(error_rate)});
    any_failed = any_failed || busiest[i].failed > 0;
  }

  auto number = [](double v) { return format_number(std::round(v * 100) / 100); };
  auto ms = [](double v) { return format_ms(v); };
  int64_t start = result.start_unix_ms;
  std::string out =
      "<section id=\"endpoint-charts\">\n<h2>Endpoints over time</h2>\n<table "
      "id=\"endpoint-legend\">\n<thead><tr><th></th><th>method</th><th>endpoint</th>"
      "<th>requests</th><th>failed</th></tr></thead>\n<tbody>\n";
  for (size_t i = 0; i < shown; ++i) {
    const EndpointTotals& t = busiest[i];
    out += fmt::format(
        "<tr><td><span class=\"swatch\" style=\"background:{}\"></span></td><td>{}</td>"
        "<td><code>{}</code></td><td class=\"n\">{}</td><td class=\"n\">{}</td></tr>\n",
        kPalette[i], e(t.series->method), e(t.series->name), t.requests, t.failed);
  }
  out += "</tbody>\n</table>\n";
  if (busiest.size() > shown)
    out += fmt::format("<p class=\"note\">The {} busiest of {} endpoints.</p>\n", shown,
                       busiest.size());
  LineChart chart{
      "chart-endpoint-rps", "Requests per second by endpoint", b.x, rps, {}, number, start};
  chart.legend = false;
  out += render_line_chart(chart);
  chart = {"chart-endpoint-p95",
           "Latency p(95) by endpoint (http_req_duration)",
           b.x,
           p95,
           {},
           ms,
           start};
  chart.legend = false;
  out += render_line_chart(chart);
  if (any_failed) {
    chart = {"chart-endpoint-errors",
             "Error rate by endpoint (http_req_failed, %)",
             b.x,
             errors,
             {},
             [](double v) { return fmt::format("{:.3g}%", v); },
             start};
    chart.legend = false;
    out += render_line_chart(chart);
  }
  return out + "</section>\n";
}

std::string html_metric_chart(const RunResult& result, const std::string& metric) {
  auto found = std::find_if(result.metric_series.begin(), result.metric_series.end(),
                            [&](const MetricSeries& s) { return s.name == metric; });
  Buckets b = buckets_of(result.time_series);
  if (found == result.metric_series.end() || b.size() == 0) return "";
  const MetricSeries& series = *found;
  std::vector<double> value(b.size(), 0), p95(b.size(), 0), count(b.size(), 0);
  for (const auto& p : series.points) {
    size_t k = b.of(p.second);
    if (k >= b.size()) continue;
    auto n = static_cast<double>(p.count);
    switch (series.type) {
      case metrics::MetricType::kCounter:
        value[k] += p.value;
        break;
      case metrics::MetricType::kGauge:
        value[k] = p.value;  // the bucket's last second
        break;
      case metrics::MetricType::kRate:
      case metrics::MetricType::kTrend:
        value[k] += p.value * n;
        p95[k] = std::max(p95[k], p.p95);
        break;
    }
    count[k] += n;
  }
  for (size_t k = 0; k < b.size(); ++k) {
    if (series.type == metrics::MetricType::kCounter) value[k] /= b.seconds[k];
    if (series.type == metrics::MetricType::kRate || series.type == metrics::MetricType::kTrend)
      value[k] = count[k] > 0 ? value[k] / count[k] : 0;
    if (series.type == metrics::MetricType::kRate) value[k] *= 100;
  }

  auto number = [](double v) { return format_number(std::round(v * 100) / 100); };
  std::function<std::string(double)> format_y = number;
  if (series.is_time) format_y = [](double v) { return format_ms(v); };
  if (series.type == metrics::MetricType::kRate)
    format_y = [](double v) { return fmt::format("{:.3g}%", v); };
  LineChart chart{"chart-metric-time-" + metric, "", b.x, {}, {}, format_y, result.start_unix_ms};
  switch (series.type) {
    case metrics::MetricType::kCounter:
      chart.title = metric + " per second";
      chart.series = {{"per second", kPalette[0], value}};
      break;
    case metrics::MetricType::kGauge:
      chart.title = metric + " over time";
      chart.series = {{"value", kPalette[0], value}};
      break;
    case metrics::MetricType::kRate:
      chart.title = metric + " over time (% non-zero)";
      chart.series = {{"rate %", kPalette[0], value}};
      break;
    case metrics::MetricType::kTrend:
      chart.title = metric + " over time";
      chart.series = {{"avg", kPalette[2], value}, {"p(95)", kPalette[1], p95}};
      break;
  }
  return render_line_chart(chart);
}

}  // namespace lueng::report
