#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace lueng::report {

// Inline SVG charts for the HTML report: drawn here, so the report needs no
// script, font or network to show them, and prints as it shows.

struct ChartSeries {
  std::string name;
  std::string color;           // CSS color
  std::vector<double> values;  // one per x
};

// A horizontal reference line, e.g. an SLO's bound.
struct ChartRule {
  std::string label;
  double value = 0;
  std::string color;
};

struct LineChart {
  std::string id;  // the svg element's id
  std::string title;
  std::vector<double> x;  // seconds since the test start
  std::vector<ChartSeries> series;
  std::vector<ChartRule> rules;
  std::function<std::string(double)> format_y;  // axis labels
  // The test's start (Unix ms): the x axis then shows wall-clock times (UTC) and
  // the hover text both; 0 shows the time since the start only.
  int64_t start_unix_ms = 0;
  // The series' names in the top corner; off when there are too many to fit,
  // and the page lists them beside the chart instead.
  bool legend = true;
};

// Every x has a hover column whose title gives the time and each series' value
// there (the browser shows it as a tooltip; no script needed).
std::string render_line_chart(const LineChart& chart);

struct BarChart {
  std::string id;
  std::string title;
  std::vector<std::string> labels;  // one per bar
  std::vector<double> values;
  std::string color;
};

std::string render_bar_chart(const BarChart& chart);

}  // namespace lueng::report
