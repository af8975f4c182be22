#pragma once

#include <string>

#include "engine/thresholds/slo.hpp"

namespace lueng::output {

// The SLO section of the summary: per SLO its status, name, measured value,
// threshold, warn, deviation and priority; compliance and the verdict; then the
// recommendations for every SLO that failed or warned. "" without SLOs.
std::string render_slo_section(const thresholds::SloReport& report, bool color);

// The same as a Markdown document (lueng validate --format markdown).
std::string render_slo_markdown(const thresholds::SloReport& report);

// One line per SLO that is not met, then the verdict (lueng validate --ci).
std::string render_slo_ci(const thresholds::SloReport& report);

// A measured value as the threshold reads it: "12.3ms" for time trends, else a number.
std::string format_slo_value(const thresholds::SloResult& result, double value);

}  // namespace lueng::output
