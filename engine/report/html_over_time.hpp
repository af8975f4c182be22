#pragma once

#include <string>

#include "engine/result/run_result.hpp"

namespace lueng::report {

// Charts of the per-endpoint and per-custom-metric series over the run, on the
// x axis of the report's other charts (its seconds, in at most kHtmlChartPoints
// buckets).

// "Endpoints over time": req/s, p(95) latency and error rate of the busiest
// endpoints, one line each, with a legend table. "" without endpoint series.
std::string html_endpoint_charts(const result::RunResult& result);

// One custom metric over time: a counter's sum per second, a rate's share, a
// gauge's value, a trend's mean and p(95). "" when the run has no series for it.
std::string html_metric_chart(const result::RunResult& result, const std::string& metric);

}  // namespace lueng::report
