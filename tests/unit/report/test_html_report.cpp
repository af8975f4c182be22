#include <catch2/catch.hpp>

#include <cmath>

#include "engine/metrics/tags.hpp"
#include "engine/report/html_report.hpp"
#include "engine/report/svg_chart.hpp"

using namespace lueng;

namespace {

result::RunResult soak(int64_t seconds, int endpoints) {
  result::RunResult result;
  result.script = "soak.lua";
  result.duration_seconds = static_cast<double>(seconds);
  metrics::MetricDef duration{"http_req_duration", metrics::MetricType::kTrend, true};
  for (int e = 0; e < endpoints; ++e) {
    metrics::Aggregate a;
    for (int i = 1; i <= 2000; ++i) a.add(metrics::MetricType::kTrend, i * 0.37 + e, 0);
    result.metrics.add(
        duration,
        metrics::encode_tags(
            {{"method", "GET"}, {"name", "http://hotel/api/v1/endpoint/" + std::to_string(e)}}),
        a);
  }
  for (int64_t s = 0; s < seconds; ++s) {
    result::TimePoint p;
    p.second = s;
    p.vus = 100 + 50 * std::sin(s / 300.0);
    p.requests = 900 + static_cast<uint64_t>(s % 37);
    p.failed = static_cast<uint64_t>(s % 11);
    p.duration_p50 = 40 + std::sin(s / 60.0) * 5;
    p.duration_p95 = 120 + (s % 97);
    p.duration_p99 = 300 + (s % 131);
    result.time_series.push_back(p);
  }
  return result;
}

size_t count(const std::string& text, const std::string& part) {
  size_t n = 0;
  for (size_t at = text.find(part); at != std::string::npos; at = text.find(part, at + 1)) ++n;
  return n;
}

}  // namespace

TEST_CASE("a 2 h soak's HTML report stays under 2 MB with its charts downsampled") {
  std::string html = report::render_html_report(soak(7200, 40));
  CHECK(html.size() < 2'000'000);
  CHECK(count(html, "<polyline") == 6);
  // Each series has at most kHtmlChartPoints points: count the pairs of one series.
  size_t at = html.find("data-series=\"p(95)\"");
  REQUIRE(at != std::string::npos);
  size_t start = html.find("points=\"", at) + 8;
  std::string points = html.substr(start, html.find('"', start) - start);
  size_t pairs = count(points, ",");
  CHECK(pairs <= report::kHtmlChartPoints);
  CHECK(pairs >= report::kHtmlChartPoints / 2);
}

TEST_CASE("the HTML report escapes text from scripts and servers") {
  result::RunResult result = soak(5, 0);
  result.script = "<script>alert(1)</script>.lua";
  result.host = "\"><img src=x>";
  metrics::MetricDef duration{"http_req_duration", metrics::MetricType::kTrend, true};
  metrics::Aggregate a;
  a.add(metrics::MetricType::kTrend, 12, 0);
  result.metrics.add(duration, metrics::encode_tags({{"method", "GET"}, {"name", "</td><b>&"}}), a);
  std::string html = report::render_html_report(result);
  CHECK(html.find("<script>") == std::string::npos);
  CHECK(html.find("<img") == std::string::npos);
  CHECK(html.find("<b>") == std::string::npos);
  CHECK(html.find("&lt;/td&gt;&lt;b&gt;&amp;") != std::string::npos);
  CHECK(html.find("&quot;&gt;&lt;img src=x&gt;") != std::string::npos);
}

TEST_CASE("an SLO line far above the data does not flatten the chart") {
  report::LineChart chart;
  chart.id = "latency";
  chart.title = "latency";
  chart.x = {0, 1, 2, 3};
  chart.series.push_back({"p95", "#000", {28, 31, 30, 29}});
  chart.rules.push_back({"p(95)<500", 500, "#f00"});
  std::string svg = report::render_line_chart(chart);
  // The axis follows the data (top 50), not the 500 ms bound.
  CHECK(svg.find(">50</text>") != std::string::npos);
  CHECK(svg.find(">500</text>") == std::string::npos);
  CHECK(svg.find("data-off-scale=\"true\"") != std::string::npos);
  CHECK(svg.find("p(95)&lt;500 \u2191 above the scale") != std::string::npos);

  SECTION("a bound near the data sets the scale and sits at its value") {
    chart.rules[0] = {"p(95)<60", 60, "#f00"};
    svg = report::render_line_chart(chart);
    CHECK(svg.find("data-off-scale=\"false\"") != std::string::npos);
    CHECK(svg.find(">100</text>") != std::string::npos);  // nice ceiling of 63
    CHECK(svg.find("above the scale") == std::string::npos);
  }
}
