#include "engine/report/markdown_report.hpp"

#include <fmt/format.h>

#include "engine/analysis/findings.hpp"
#include "engine/analysis/key_metrics.hpp"
#include "engine/common/format.hpp"
#include "engine/report/failures_section.hpp"
#include "engine/report/slo_report.hpp"
#include "engine/result/failures.hpp"
#include "engine/result/script_errors.hpp"
#include "engine/result/views.hpp"

namespace lueng::report {

using analysis::describe;
using analysis::key_metrics;
using analysis::KeyMetrics;
using result::check_stats;
using result::endpoint_stats;
using result::Findings;
using result::report_verdict;
using result::ReportVerdict;
using result::RunResult;

namespace {

// A table cell: pipes escaped, newlines flattened, so tag values cannot break the table.
std::string cell(const std::string& text) {
  std::string out;
  for (char c : text) {
    if (c == '|' || c == '`' || c == '\\' || c == '<' || c == '>' || c == '*' || c == '_' ||
        c == '[' || c == ']')
      out += '\\';
    out += c == '\n' || c == '\r' ? ' ' : c;
  }
  return out.empty() ? "-" : out;
}

// Code spans keep names readable (no backslashes before underscores); only pipes
// and backticks need care there.
std::string code(const std::string& text) {
  if (text.empty()) return "-";
  std::string out = "`";
  for (char c : text) {
    if (c == '|')
      out += "\\|";
    else if (c == '`')
      out += '\'';
    else
      out += c == '\n' || c == '\r' ? ' ' : c;
  }
  return out + "`";
}

std::string verdict_heading(const RunResult& result) {
  const thresholds::SloReport& slo = result.slo;
  ReportVerdict verdict = report_verdict(result);
  const char* icons[] = {"✅", "⚠️", "❌", "ℹ️"};
  std::string out =
      fmt::format("## {} lueng: {}\n\n", icons[static_cast<int>(verdict.tone)], cell(verdict.text));
  if (!slo.results.empty()) {
    out += "**Verdict:** " + cell(slo_verdict_line(slo)) + "  \n";
    out += "**Compliance:** " + cell(slo_compliance_line(slo)) + "  \n";
  }
  out += fmt::format("**Exit status:** {}", result.exit_code);
  if (result.interrupted) out += " (interrupted: " + cell(result.interrupt_reason) + ")";
  if (result.partial) out += " (partial: written during the run, the numbers so far)";
  out += "  \n";
  out += fmt::format("**Script:** {} · **duration** {} · **lueng** {} · **host** {}\n\n",
                     code(result.script), format_ms(result.duration_seconds * 1000),
                     cell(result.lueng_version), cell(result.host));
  return out;
}

void slo_table(std::string& out, const thresholds::SloReport& slo) {
  if (slo.results.empty()) return;
  out += "### SLOs\n\n";
  out += "| status | SLO | threshold | measured | warn | deviation | priority |\n";
  out += "|---|---|---|---|---|---|---|\n";
  for (const auto& r : slo.results)
    out += fmt::format("| {} {} | {} | {} | {} | {} | {} | {} |\n", slo_mark(r.status),
                       thresholds::status_name(r.status), code(slo_name(r)),
                       code(r.slo.threshold.text), cell(slo_measured(r)),
                       r.slo.warn ? code(r.slo.warn->text) : "-", cell(slo_deviation(r)),
                       thresholds::priority_name(r.slo.priority));
  out += "\n";
}

void key_metric_table(std::string& out, const RunResult& result) {
  KeyMetrics k = key_metrics(result);
  out += "### Key metrics\n\n| metric | value |\n|---|---|\n";
  out += fmt::format("| requests | {} ({}/s) |\n", k.requests, format_number(k.request_rate));
  out += fmt::format("| failed requests | {} ({}) |\n", k.failed, format_percent(k.error_rate));
  out +=
      fmt::format("| latency avg / p(50) / p(95) / p(99) / max | {} / {} / {} / {} / {} |\n",
                  format_ms(k.duration_avg), format_ms(k.duration_p50), format_ms(k.duration_p95),
                  format_ms(k.duration_p99), format_ms(k.duration_max));
  out += fmt::format("| iterations | {} ({}/s) |\n", k.iterations, format_number(k.iteration_rate));
  if (k.checks_passed + k.checks_failed > 0)
    out += fmt::format("| checks | {} passed, {} failed |\n", k.checks_passed, k.checks_failed);
  out += fmt::format("| VUs (max) | {} |\n", format_number(k.vus_max));
  out += fmt::format("| data received / sent | {} / {} |\n", format_bytes(k.data_received),
                     format_bytes(k.data_sent));
  out += "\n";
}

void endpoint_table(std::string& out, const RunResult& result) {
  auto endpoints = endpoint_stats(result, result::EndpointKey::kEndpoint);
  if (endpoints.empty()) return;
  double seconds = result.duration_seconds > 0 ? result.duration_seconds : 1;
  out += "### Endpoints\n\n";
  out += "| method | endpoint | requests | failures | req/s | p(50) | p(95) | p(99) | max |\n";
  out += "|---|---|---:|---:|---:|---:|---:|---:|---:|\n";
  for (const auto& e : endpoints)
    out += fmt::format("| {} | {} | {} | {} | {} | {} | {} | {} | {} |\n", cell(e.method),
                       code(e.name), e.requests, e.failures, format_number(e.requests / seconds),
                       format_ms(e.duration.percentile(50)), format_ms(e.duration.percentile(95)),
                       format_ms(e.duration.percentile(99)), format_ms(e.duration.max()));
  out += "\n";
}

void failure_section(std::string& out, const RunResult& result) {
  auto rows = result::failure_table(result);
  if (rows.empty() && result.failures_unlisted == 0) return;
  out += "### Failures\n\n| count | method | endpoint | status | error_code | first error |\n";
  out += "|---:|---|---|---:|---:|---|\n";
  for (const auto& row : rows)
    out += fmt::format("| {} | {} | {} | {} | {} | {} |\n", row.count, cell(row.method),
                       code(row.endpoint), failure_number(row.status),
                       failure_number(row.error_code), cell(row.message));
  if (result.failures_unlisted > 0)
    out += fmt::format("| {} | | (unlisted: beyond the first {} combinations) | | | |\n",
                       result.failures_unlisted, result::kMaxFailureRows);
  out += "\n";
}

void check_table(std::string& out, const RunResult& result) {
  auto checks = check_stats(result);
  if (checks.empty()) return;
  out += "### Checks\n\n| | check | group | passes | fails |\n|---|---|---|---:|---:|\n";
  for (const auto& c : checks)
    out += fmt::format("| {} | {} | {} | {} | {} |\n", c.fails == 0 ? "✓" : "✗", code(c.name),
                       cell(c.group), c.passes, c.fails);
  out += "\n";
}

void script_error_table(std::string& out, const RunResult& result) {
  if (result.script_errors.empty()) return;
  out += "### Script errors\n\n| count | kind | where | message |\n|---:|---|---|---|\n";
  for (const auto& error : result.script_errors)
    out += fmt::format("| {} | {} | {} | {} |\n", error.count,
                       (error.deliberate ? std::string("lueng.fail()") : std::string("error")) +
                           (error.phase == "iteration" ? "" : " in " + error.phase_text()),
                       code(error.location()), cell(error.message));
  out += "\n";
}

}  // namespace

std::string render_markdown_report(const RunResult& result) {
  std::string out = verdict_heading(result);
  slo_table(out, result.slo);
  key_metric_table(out, result);
  endpoint_table(out, result);
  failure_section(out, result);
  check_table(out, result);
  script_error_table(out, result);
  const Findings& findings = result.findings;
  if (!findings.empty()) {
    out += "### Findings\n\n";
    for (const auto& f : findings.breaking_points) out += "- " + cell(describe(f)) + "\n";
    for (const auto& f : findings.recoveries) out += "- " + cell(describe(f)) + "\n";
    for (const auto& f : findings.drifts) out += "- " + cell(describe(f)) + "\n";
    if (findings.generator) out += "- ⚠️ " + cell(describe(*findings.generator)) + "\n";
    for (const auto& f : findings.target_growth)
      out += std::string(f.flagged ? "- ⚠️ " : "- ") + cell(describe(f)) + "\n";
    out += "\n";
  }
  return out;
}

}  // namespace lueng::report
