#pragma once

#include <string>

#include "engine/thresholds/slo.hpp"

namespace lueng::report {

// The SLO section of the summary: per SLO its status, name, measured value,
// threshold, warn, deviation and priority; compliance and the verdict; then the
// recommendations for every SLO that failed or warned. "" without SLOs.
std::string render_slo_section(const thresholds::SloReport& report, bool color);

// The same as a Markdown document (lueng validate --format markdown).
std::string render_slo_markdown(const thresholds::SloReport& report);

// One line per SLO that is not met, then the verdict (lueng validate --ci).
std::string render_slo_ci(const thresholds::SloReport& report);

// Pieces every SLO renderer shares.
std::string slo_mark(thresholds::SloStatus status);             // ✓ ! ✗ ?
std::string slo_measured(const thresholds::SloResult& result);  // "p(95)=12.3ms", "-" without data
// The SLO's key, and its window when it has one: "http_req_failed [30s window]".
std::string slo_name(const thresholds::SloResult& result);
std::string slo_deviation(const thresholds::SloResult& result);     // "+12.5%", "-"
std::string slo_verdict_line(const thresholds::SloReport& report);  // "FAILED (exit 1)"
std::string slo_compliance_line(
    const thresholds::SloReport& report);  // "50.0% (1 of 2 SLOs met, critical)"

}  // namespace lueng::report
