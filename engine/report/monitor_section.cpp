#include "engine/report/monitor_section.hpp"

#include <cmath>

#include <fmt/format.h>

#include "engine/common/format.hpp"
#include "engine/metrics/tags.hpp"
#include "engine/report/markup.hpp"
#include "engine/report/svg_chart.hpp"

namespace lueng::report {

namespace {

// Charts beyond it would make the page long without telling more: the table
// still lists every series.
constexpr size_t kMaxMonitorCharts = 24;

std::string tag_text(std::string_view tags) {
  std::string out;
  metrics::for_each_tag(tags, [&out](std::string_view key, std::string_view value) {
    out += (out.empty() ? "" : ", ") + std::string(key) + "=" + std::string(value);
  });
  return out;
}

std::string format_value(const std::string& scraped, double value) {
  if (scraped.ends_with("_bytes")) return format_bytes(value);
  return format_number(std::round(value * 1000) / 1000);
}

std::string sources_table(const result::MonitorResult& monitor) {
  std::string out =
      "<table id=\"monitor-sources\">\n<thead><tr><th>endpoint</th><th>scrapes</th>"
      "<th>errors</th><th>first error</th></tr></thead>\n<tbody>\n";
  for (const result::MonitorSource& s : monitor.sources)
    out += fmt::format(
        "<tr{}><td><code>{}</code></td><td class=\"num\">{}</td><td class=\"num\">{}</td>"
        "<td>{}</td></tr>\n",
        s.errors ? " class=\"fail\"" : "", escape_markup(s.url), s.scrapes, s.errors,
        escape_markup(s.first_error));
  return out + "</tbody>\n</table>\n";
}

std::string series_table(const result::MonitorResult& monitor) {
  std::string out =
      "<table id=\"monitor-series\">\n<thead><tr><th>metric</th><th>tags</th><th>baseline</th>"
      "<th>last</th><th>growth</th></tr></thead>\n<tbody>\n";
  for (const result::MonitorSeries& s : monitor.series) {
    std::string last = s.points.empty() ? "" : format_value(s.scraped, s.points.back().second);
    out += fmt::format(
        "<tr data-metric=\"{0}\"><td><code>{0}</code></td><td>{1}</td><td class=\"num\">{2}</td>"
        "<td class=\"num\">{3}</td><td class=\"num\">{4}</td></tr>\n",
        escape_markup(s.metric), escape_markup(tag_text(s.tags)),
        s.has_baseline ? format_value(s.scraped, s.baseline) : "", last,
        s.has_baseline ? fmt::format("{:+.1f}%", s.growth_percent) : "");
  }
  return out + "</tbody>\n</table>\n";
}

}  // namespace

std::string render_monitor_section(const result::RunResult& result) {
  const result::MonitorResult& monitor = result.monitor;
  if (monitor.empty()) return "";
  std::string out = "<section id=\"monitor\">\n<h2>Target metrics</h2>\n";
  out += fmt::format("<p>Scraped every {} from the target's metrics endpoints{}.</p>\n",
                     format_number(monitor.interval_seconds) + "s",
                     monitor.warmup_seconds > 0
                         ? fmt::format("; growth from the first value after {}s",
                                       format_number(monitor.warmup_seconds))
                         : "");
  out += sources_table(monitor);
  if (!monitor.series.empty()) out += series_table(monitor);
  size_t charts = 0;
  for (const result::MonitorSeries& s : monitor.series) {
    if (s.points.size() < 2 || charts >= kMaxMonitorCharts) continue;
    LineChart chart;
    chart.id = fmt::format("chart-monitor-{}", charts++);
    chart.title = s.metric + " {" + tag_text(s.tags) + "}";
    ChartSeries line{s.scraped, "#00838f", {}};
    for (const auto& [second, value] : s.points) {
      chart.x.push_back(second);
      line.values.push_back(value);
    }
    chart.series.push_back(std::move(line));
    if (s.has_baseline) chart.rules.push_back({"baseline", s.baseline, "#9e9e9e"});
    std::string scraped = s.scraped;
    chart.format_y = [scraped](double v) { return format_value(scraped, v); };
    out += render_line_chart(chart);
  }
  return out + "</section>\n";
}

}  // namespace lueng::report
