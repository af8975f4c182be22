#pragma once

#include <string>

#include "engine/result/run_result.hpp"

namespace lueng::report {

// Charts draw at most this many points per series: a 2 h soak keeps its shape
// and the report stays small (well under 2 MB).
inline constexpr size_t kHtmlChartPoints = 600;

// The run as one self-contained HTML page (--out html=FILE, lueng report --html):
// no scripts, fonts or network; inline SVG charts of req/s, VUs, latency
// percentiles and error rate over time with the SLO bounds drawn, the latency
// histogram, the SLO, endpoint and check tables, findings and run metadata.
// Readable at 1280 px and printable.
std::string render_html_report(const result::RunResult& result);

}  // namespace lueng::report
