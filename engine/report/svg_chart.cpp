#include "engine/report/svg_chart.hpp"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "engine/common/duration.hpp"
#include "engine/common/utc_time.hpp"
#include "engine/report/markup.hpp"

namespace lueng::report {

namespace {

constexpr double kWidth = 1200, kHeight = 260;
constexpr double kLeft = 70, kRight = 20, kTop = 30, kBottom = 30;
constexpr double kRuleReach = 4;  // bounds up to this many times the data's maximum set the scale

// A "nice" axis maximum (1, 2 or 5 times a power of ten) at or above value.
double nice_ceiling(double value) {
  if (value <= 0) return 1;
  double power = std::pow(10, std::floor(std::log10(value)));
  for (double step : {1.0, 2.0, 5.0, 10.0})
    if (step * power >= value) return step * power;
  return 10 * power;
}

std::string frame(const std::string& id, const std::string& title) {
  return fmt::format(
      "<svg id=\"{}\" class=\"chart\" viewBox=\"0 0 {} {}\" role=\"img\" "
      "aria-label=\"{}\" xmlns=\"http://www.w3.org/2000/svg\">\n"
      "<text x=\"{}\" y=\"18\" class=\"chart-title\">{}</text>\n",
      escape_markup(id), kWidth, kHeight, escape_markup(title), kLeft, escape_markup(title));
}

std::string y_axis(double top, const std::function<std::string(double)>& format_y) {
  std::string out;
  for (int i = 0; i <= 4; ++i) {
    double value = top * i / 4;
    double y = kHeight - kBottom - (kHeight - kTop - kBottom) * i / 4;
    out += fmt::format(
        "<line x1=\"{}\" y1=\"{:.1f}\" x2=\"{}\" y2=\"{:.1f}\" class=\"grid\"/>"
        "<text x=\"{}\" y=\"{:.1f}\" class=\"axis\" text-anchor=\"end\">{}</text>\n",
        kLeft, y, kWidth - kRight, y, kLeft - 6, y + 4,
        escape_markup(format_y ? format_y(value) : fmt::format("{:g}", value)));
  }
  return out;
}

// "14:02:07" for a second of the test, from its wall-clock start.
std::string wall_clock(int64_t start_unix_ms, double second) {
  std::string text = format_utc(start_unix_ms + static_cast<int64_t>(std::llround(second * 1000)),
                                UtcFormat::kReadable);
  return text.size() >= 19 ? text.substr(11, 8) : text;
}

std::string x_label(const LineChart& chart, double second) {
  if (chart.start_unix_ms == 0) return format_duration(std::round(second));
  return wall_clock(chart.start_unix_ms, second);
}

// One transparent column per x, the width of its step, titled with the values.
std::string hover_columns(const LineChart& chart, const std::function<double(double)>& px) {
  std::string out;
  size_t n = chart.x.size();
  for (size_t i = 0; i < n; ++i) {
    double left = i == 0 ? px(chart.x[i]) : (px(chart.x[i - 1]) + px(chart.x[i])) / 2;
    double right = i + 1 == n ? px(chart.x[i]) + 1 : (px(chart.x[i]) + px(chart.x[i + 1])) / 2;
    std::string title = "+" + format_duration(std::round(chart.x[i]));
    if (chart.start_unix_ms != 0)
      title = wall_clock(chart.start_unix_ms, chart.x[i]) + " UTC (" + title + ")";
    for (const auto& s : chart.series)
      if (i < s.values.size())
        title += "\n" + s.name + ": " +
                 (chart.format_y ? chart.format_y(s.values[i]) : fmt::format("{:g}", s.values[i]));
    out += fmt::format(
        "<rect class=\"hover\" x=\"{:.1f}\" y=\"{}\" width=\"{:.1f}\" height=\"{}\"><title>{}"
        "</title></rect>\n",
        left, kTop, std::max(1.0, right - left), kHeight - kTop - kBottom, escape_markup(title));
  }
  return out;
}

}  // namespace

std::string render_line_chart(const LineChart& chart) {
  std::string out = frame(chart.id, chart.title);
  double data_top = 0;
  for (const auto& s : chart.series)
    for (double v : s.values) data_top = std::max(data_top, v);
  // A bound far above the data (an SLO of 500 ms over 30 ms latencies) would flatten
  // the lines against the axis: it is drawn at the top edge, labelled off the scale.
  double top = data_top;
  for (const auto& rule : chart.rules)
    if (data_top <= 0 || rule.value <= kRuleReach * data_top) top = std::max(top, rule.value);
  top = nice_ceiling(top * 1.05);
  double x0 = chart.x.empty() ? 0 : chart.x.front();
  double x1 = chart.x.empty() ? 1 : std::max(chart.x.back(), x0 + 1);
  double plot_w = kWidth - kLeft - kRight, plot_h = kHeight - kTop - kBottom;
  auto px = [&](double x) { return kLeft + (x - x0) / (x1 - x0) * plot_w; };
  auto py = [&](double y) { return kHeight - kBottom - y / top * plot_h; };

  out += y_axis(top, chart.format_y);
  double tick = std::max(1.0, nice_ceiling((x1 - x0) / 8));
  for (double x = std::ceil(x0 / tick) * tick; x <= x1 + 1e-9; x += tick) {
    out +=
        fmt::format("<text x=\"{:.1f}\" y=\"{}\" class=\"axis\" text-anchor=\"middle\">{}</text>\n",
                    px(x), kHeight - 10, escape_markup(x_label(chart, x)));
  }
  if (chart.start_unix_ms != 0)
    out += fmt::format("<text x=\"{}\" y=\"{}\" class=\"axis\">UTC</text>\n", 4, kHeight - 10);
  for (const auto& s : chart.series) {
    if (s.values.empty()) continue;
    std::string points;
    points.reserve(s.values.size() * 14);
    for (size_t i = 0; i < s.values.size() && i < chart.x.size(); ++i)
      points += fmt::format("{:.1f},{:.1f} ", px(chart.x[i]), py(s.values[i]));
    out += fmt::format(
        "<polyline class=\"series\" data-series=\"{}\" fill=\"none\" stroke=\"{}\" "
        "stroke-width=\"1.6\" points=\"{}\"/>\n",
        escape_markup(s.name), escape_markup(s.color), points);
  }
  for (const auto& rule : chart.rules) {
    bool off_scale = rule.value > top;
    double y = off_scale ? kTop : py(rule.value);
    out += fmt::format(
        "<line class=\"slo-line\" data-off-scale=\"{}\" x1=\"{}\" y1=\"{:.1f}\" x2=\"{}\" "
        "y2=\"{:.1f}\" stroke=\"{}\" stroke-dasharray=\"{}\"/><text x=\"{}\" y=\"{:.1f}\" "
        "class=\"rule-label\" text-anchor=\"end\" fill=\"{}\">{}</text>\n",
        off_scale ? "true" : "false", kLeft, y, kWidth - kRight, y, escape_markup(rule.color),
        off_scale ? "2 6" : "6 4", kWidth - kRight - 4, y + (off_scale ? 12 : -4),
        escape_markup(rule.color),
        escape_markup(off_scale ? rule.label + " \u2191 above the scale" : rule.label));
  }
  out += hover_columns(chart, px);
  double legend_x = kWidth - kRight;
  for (auto it = chart.series.rbegin(); chart.legend && it != chart.series.rend(); ++it) {
    legend_x -= 16 + 8.0 * it->name.size();
    out += fmt::format(
        "<rect x=\"{:.0f}\" y=\"9\" width=\"10\" height=\"10\" fill=\"{}\"/>"
        "<text x=\"{:.0f}\" y=\"18\" class=\"axis\">{}</text>\n",
        legend_x, escape_markup(it->color), legend_x + 13, escape_markup(it->name));
  }
  return out + "</svg>\n";
}

std::string render_bar_chart(const BarChart& chart) {
  std::string out = frame(chart.id, chart.title);
  double top = 0;
  for (double v : chart.values) top = std::max(top, v);
  top = nice_ceiling(top);
  out += y_axis(top, nullptr);
  double plot_w = kWidth - kLeft - kRight, plot_h = kHeight - kTop - kBottom;
  size_t n = chart.values.size();
  double slot = n ? plot_w / n : plot_w;
  size_t label_every = std::max<size_t>(1, n / 10);
  for (size_t i = 0; i < n; ++i) {
    double h = chart.values[i] / top * plot_h;
    double x = kLeft + slot * i;
    out += fmt::format(
        "<rect class=\"bar\" x=\"{:.1f}\" y=\"{:.1f}\" width=\"{:.1f}\" height=\"{:.1f}\" "
        "fill=\"{}\"><title>{}: {:g}</title></rect>\n",
        x + 1, kHeight - kBottom - h, std::max(1.0, slot - 2), h, escape_markup(chart.color),
        escape_markup(chart.labels[i]), chart.values[i]);
    if (i % label_every == 0)
      out += fmt::format(
          "<text x=\"{:.1f}\" y=\"{}\" class=\"axis\" text-anchor=\"middle\">{}</text>\n",
          x + slot / 2, kHeight - 10, escape_markup(chart.labels[i]));
  }
  return out + "</svg>\n";
}

}  // namespace lueng::report
