#include "engine/report/slo_report.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "engine/common/format.hpp"
#include "engine/thresholds/evaluate.hpp"
#include "engine/thresholds/slo_value.hpp"

namespace lueng::report {

namespace {

using thresholds::SloResult;
using thresholds::SloStatus;

// Pads to a width in columns, counting UTF-8 characters rather than bytes.
std::string pad(const std::string& text, size_t width) {
  size_t columns = 0;
  for (char c : text)
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++columns;
  return columns >= width ? text : text + std::string(width - columns, ' ');
}

bool needs_advice(const SloResult& r) {
  return r.status != SloStatus::kPass && !(r.status == SloStatus::kNoData && r.slo.allow_empty);
}

}  // namespace

std::string slo_mark(SloStatus status) {
  switch (status) {
    case SloStatus::kPass:
      return "✓";
    case SloStatus::kWarning:
      return "!";
    case SloStatus::kFail:
    case SloStatus::kCritical:
      return "✗";
    case SloStatus::kNoData:
      return "?";
  }
  return " ";
}

namespace {

std::string paint(SloStatus status, const std::string& text, bool color) {
  if (!color) return text;
  const char* code = status == SloStatus::kPass      ? "\x1b[32m"
                     : status == SloStatus::kWarning ? "\x1b[33m"
                                                     : "\x1b[31m";
  return code + text + "\x1b[0m";
}

}  // namespace

std::string slo_measured(const SloResult& r) {
  if (r.status == thresholds::SloStatus::kNoData) return "-";
  std::string out =
      r.slo.threshold.aggregation_text() + "=" + thresholds::format_slo_value(r, r.value);
  // A windowed SLO measures its worst window: say when it was.
  if (r.worst_window) out += fmt::format(" at {}s-{}s", r.worst_window->from, r.worst_window->to);
  return out;
}

std::string slo_name(const SloResult& r) {
  if (r.slo.window <= 0) return r.slo.selector.text;
  return fmt::format("{} [{}s window]", r.slo.selector.text, r.slo.window);
}

std::string slo_deviation(const SloResult& r) {
  if (r.status == thresholds::SloStatus::kNoData || !r.deviation_percent) return "-";
  return fmt::format("{:+.1f}%", *r.deviation_percent);
}

namespace {

std::string name_of(const SloResult& r) {
  return slo_name(r);
}

}  // namespace

std::string slo_verdict_line(const thresholds::SloReport& report) {
  std::string line = fmt::format("{} (exit {})", report.verdict, report.exit_code);
  if (!report.aborted_by.empty()) line += ": abort_on_fail of " + report.aborted_by;
  if (report.strict) line += ", --strict";
  return line;
}

std::string slo_compliance_line(const thresholds::SloReport& report) {
  return fmt::format("{:.1f}% ({} of {} SLOs met, {})", report.compliance, report.met,
                     report.results.size(), report.rating);
}

std::string render_slo_section(const thresholds::SloReport& report, bool color) {
  if (report.results.empty()) return "";
  size_t name_width = 24, measured_width = 12, threshold_width = 12, warn_width = 4;
  for (const auto& r : report.results) {
    name_width = std::max(name_width, name_of(r).size());
    measured_width = std::max(measured_width, slo_measured(r).size());
    threshold_width = std::max(threshold_width, r.slo.threshold.text.size());
    if (r.slo.warn) warn_width = std::max(warn_width, r.slo.warn->text.size());
  }
  name_width = std::min<size_t>(name_width, 60);
  std::string out = "\n     SLOs\n";
  out += fmt::format("       {:<10} {:<{}} {:<{}} {:<{}} {:<{}} {:>9} {}\n", "status", "slo",
                     name_width, "measured", measured_width, "threshold", threshold_width, "warn",
                     warn_width, "deviation", "priority");
  for (const auto& r : report.results) {
    std::string status = pad(slo_mark(r.status) + " " + thresholds::status_name(r.status), 10);
    out += fmt::format("       {} {:<{}} {:<{}} {:<{}} {:<{}} {:>9} {}\n",
                       paint(r.status, status, color), name_of(r), name_width, slo_measured(r),
                       measured_width, r.slo.threshold.text, threshold_width,
                       r.slo.warn ? r.slo.warn->text : "-", warn_width, slo_deviation(r),
                       thresholds::priority_name(r.slo.priority));
    if (!r.slo.description.empty()) out += fmt::format("                  {}\n", r.slo.description);
  }
  out += "\n     compliance: " + slo_compliance_line(report) + "\n";
  std::string verdict = "     verdict:    " + slo_verdict_line(report);
  out +=
      (color ? (report.exit_code == 0 ? "\x1b[32m" : "\x1b[31m") + verdict + "\x1b[0m" : verdict) +
      "\n";

  bool any_advice = false;
  for (const auto& r : report.results) {
    if (!needs_advice(r) || r.recommendations.empty()) continue;
    if (!any_advice) out += "\n     recommendations\n";
    any_advice = true;
    out += fmt::format("       {} ({}):\n", name_of(r), thresholds::status_name(r.status));
    for (const auto& advice : r.recommendations) out += "         - " + advice + "\n";
  }
  return out;
}

std::string render_slo_markdown(const thresholds::SloReport& report) {
  std::string out = "# SLO report\n\n";
  if (report.results.empty()) return out + "No SLOs.\n";
  out += "| status | SLO | description | measured | threshold | warn | deviation | priority |\n";
  out += "|---|---|---|---|---|---|---|---|\n";
  auto cell = [](std::string text) {
    std::string escaped;
    for (char c : text) {
      if (c == '|') escaped += '\\';
      escaped += c;
    }
    return escaped;
  };
  for (const auto& r : report.results)
    out += fmt::format("| {} {} | `{}` | {} | {} | `{}` | {} | {} | {} |\n", slo_mark(r.status),
                       thresholds::status_name(r.status), cell(name_of(r)), cell(r.slo.description),
                       slo_measured(r), cell(r.slo.threshold.text),
                       r.slo.warn ? "`" + cell(r.slo.warn->text) + "`" : "-", slo_deviation(r),
                       thresholds::priority_name(r.slo.priority));
  out += "\n**Compliance:** " + slo_compliance_line(report) + "\n\n";
  out += "**Verdict:** " + slo_verdict_line(report) + "\n";
  bool any_advice = false;
  for (const auto& r : report.results) {
    if (!needs_advice(r) || r.recommendations.empty()) continue;
    if (!any_advice) out += "\n## Recommendations\n";
    any_advice = true;
    out += fmt::format("\n### `{}` ({})\n\n", cell(name_of(r)), thresholds::status_name(r.status));
    for (const auto& advice : r.recommendations) out += "- " + advice + "\n";
  }
  return out;
}

std::string render_slo_ci(const thresholds::SloReport& report) {
  std::string out;
  for (const auto& r : report.results) {
    if (thresholds::failure_level(r, report.strict) == 0) continue;
    out += fmt::format("{} {} {} {} [{}]\n", thresholds::status_name(r.status), name_of(r),
                       r.slo.threshold.text, slo_measured(r),
                       thresholds::priority_name(r.slo.priority));
  }
  out +=
      "verdict: " + slo_verdict_line(report) + ", compliance " + slo_compliance_line(report) + "\n";
  return out;
}

}  // namespace lueng::report
