#pragma once

#include <string>

#include "engine/metrics/histogram.hpp"
#include "engine/result/run_result.hpp"

namespace lueng::report {

// Sections of the HTML report about metrics beyond the headline ones, each a
// <section> of its own ("" when the run has nothing for it).

// Where the time of a request went: blocked, connecting, TLS, sending, waiting,
// receiving (avg, p(50), p(95), p(99), max) and their averages side by side.
std::string html_timing_section(const result::RunResult& result);

// The script's own metrics (lueng.metrics: trends, counters, rates, gauges): a
// table of their values and, for each trend, its distribution.
std::string html_custom_metrics_section(const result::RunResult& result);

// A histogram drawn in about 40 logarithmic bins between its min and max: the
// latency distribution and the custom trends'. "" when it is empty.
std::string render_distribution(const metrics::Histogram& histogram, const std::string& id,
                                const std::string& title, bool is_time);

}  // namespace lueng::report
