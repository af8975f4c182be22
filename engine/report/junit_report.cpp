#include "engine/report/junit_report.hpp"

#include <fmt/format.h>

#include "engine/common/utc_time.hpp"
#include "engine/report/markup.hpp"
#include "engine/report/slo_report.hpp"
#include "engine/result/views.hpp"

namespace lueng::report {

using result::check_stats;
using result::CheckStats;
using result::RunResult;
using result::ScriptErrorCount;

namespace {

using thresholds::SloStatus;

std::string timestamp(int64_t unix_ms) {
  return format_utc(unix_ms, UtcFormat::kIsoSeconds);
}

struct Suite {
  std::string cases;
  size_t tests = 0, failures = 0, errors = 0, skipped = 0;
};

std::string slo_case_name(const thresholds::SloResult& r) {
  return slo_name(r) + ": " + r.slo.threshold.text;
}

void add_slo(Suite& suite, const thresholds::SloResult& r, double seconds) {
  ++suite.tests;
  std::string name = escape_markup(slo_case_name(r));
  std::string head =
      fmt::format("    <testcase classname=\"lueng.slo.{}\" name=\"{}\" time=\"{:.3f}\"",
                  thresholds::priority_name(r.slo.priority), name, seconds);
  std::string measured = slo_measured(r);
  std::string detail = fmt::format(
      "{} {}: measured {}, threshold {}{}, priority {}{}", thresholds::status_name(r.status),
      r.slo.selector.text, measured, r.slo.threshold.text,
      r.slo.warn ? ", warn " + r.slo.warn->text : "", thresholds::priority_name(r.slo.priority),
      r.slo.description.empty() ? "" : "\n" + r.slo.description);
  bool failing = r.status == SloStatus::kFail || r.status == SloStatus::kCritical ||
                 (r.status == SloStatus::kNoData && !r.slo.allow_empty);
  if (failing) {
    ++suite.failures;
    std::string message =
        r.status == SloStatus::kNoData
            ? "no samples for " + r.slo.selector.text + " (threshold " + r.slo.threshold.text + ")"
            : measured + " misses " + r.slo.threshold.text;
    std::string advice;
    for (const auto& line : r.recommendations) advice += "\n- " + line;
    suite.cases += head + ">\n      <failure type=\"" + thresholds::status_name(r.status) +
                   "\" message=\"" + escape_markup(message) + "\">" +
                   escape_markup(detail + advice) + "</failure>\n    </testcase>\n";
  } else if (r.status == SloStatus::kNoData) {
    ++suite.skipped;
    suite.cases +=
        head + ">\n      <skipped message=\"no samples (allow_empty)\"/>\n    </testcase>\n";
  } else {
    suite.cases +=
        head + ">\n      <system-out>" + escape_markup(detail) + "</system-out>\n    </testcase>\n";
  }
}

void add_check(Suite& suite, const CheckStats& check, double seconds) {
  ++suite.tests;
  std::string classname = check.group.empty() ? "lueng.check" : "lueng.check" + check.group;
  std::string head = fmt::format("    <testcase classname=\"{}\" name=\"{}\" time=\"{:.3f}\"",
                                 escape_markup(classname), escape_markup(check.name), seconds);
  uint64_t total = check.passes + check.fails;
  std::string summary =
      fmt::format("{} of {} failed ({} passed)", check.fails, total, check.passes);
  if (check.fails > 0) {
    ++suite.failures;
    suite.cases += head + ">\n      <failure type=\"check\" message=\"" + escape_markup(summary) +
                   "\">" + escape_markup(check.name + ": " + summary) +
                   "</failure>\n    </testcase>\n";
  } else {
    suite.cases += head + "/>\n";
  }
}

// One test case per distinct message: a Lua error is an <error> (the test itself
// broke), a lueng.fail() a <failure> (the script judged the system).
void add_script_error(Suite& suite, const ScriptErrorCount& error, double seconds) {
  ++suite.tests;
  std::string location = error.location();
  std::string name = (location.empty() ? std::string("(no location)") : location) +
                     (error.phase == "iteration" ? "" : " in " + error.phase_text());
  std::string head =
      fmt::format("    <testcase classname=\"lueng.script\" name=\"{}\" time=\"{:.3f}\">\n",
                  escape_markup(name), seconds);
  std::string what = error.phase == "iteration" ? fmt::format("ended {} iteration{}", error.count,
                                                              error.count == 1 ? "" : "s")
                                                : "ended " + error.phase_text();
  std::string element = error.deliberate ? "failure" : "error";
  (error.deliberate ? suite.failures : suite.errors) += 1;
  suite.cases +=
      head + fmt::format("      <{} type=\"{}\" message=\"{}\">{}</{}>\n    </testcase>\n", element,
                         error.deliberate ? "lueng.fail" : "script error",
                         escape_markup(error.message), escape_markup(what), element);
}

// A run that did not pass must not read green in CI when no SLO, check or script
// error says why (interrupted, aborted, not one response): one test case does.
void add_run_outcome(Suite& suite, const RunResult& result) {
  ++suite.tests;
  std::string why = result.interrupted ? "interrupted: " + result.interrupt_reason +
                                             " (the SLOs judge part of the test)"
                                       : result.slo.verdict;
  ++suite.failures;
  suite.cases += fmt::format(
      "    <testcase classname=\"lueng.run\" name=\"exit status {}\" time=\"{:.3f}\">\n"
      "      <failure type=\"run\" message=\"{}\">the run exited {}</failure>\n"
      "    </testcase>\n",
      result.exit_code, result.duration_seconds, escape_markup(why), result.exit_code);
}

std::string suite_xml(const std::string& name, const Suite& suite, const RunResult& result) {
  return fmt::format(
      "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{}\" errors=\"{}\" skipped=\"{}\" "
      "time=\"{:.3f}\" timestamp=\"{}\" hostname=\"{}\">\n{}  </testsuite>\n",
      escape_markup(name), suite.tests, suite.failures, suite.errors, suite.skipped,
      result.duration_seconds, timestamp(result.start_unix_ms), escape_markup(result.host),
      suite.cases);
}

}  // namespace

std::string render_junit_report(const RunResult& result) {
  Suite slos, checks, script;
  for (const auto& r : result.slo.results) add_slo(slos, r, result.duration_seconds);
  for (const auto& check : check_stats(result)) add_check(checks, check, result.duration_seconds);
  for (const auto& error : result.script_errors)
    add_script_error(script, error, result.duration_seconds);
  Suite run;
  bool explained = slos.failures + checks.failures + script.failures + script.errors > 0;
  if (result.exit_code != 0 && !explained) add_run_outcome(run, result);
  std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  out += fmt::format(
      "<testsuites name=\"{}\" tests=\"{}\" failures=\"{}\" errors=\"{}\" time=\"{:.3f}\">\n",
      escape_markup("lueng " + result.script), slos.tests + checks.tests + script.tests + run.tests,
      slos.failures + checks.failures + script.failures + run.failures, script.errors,
      result.duration_seconds);
  out += suite_xml("lueng.slos", slos, result);
  out += suite_xml("lueng.checks", checks, result);
  if (script.tests > 0) out += suite_xml("lueng.script_errors", script, result);
  if (run.tests > 0) out += suite_xml("lueng.run", run, result);
  out += "</testsuites>\n";
  return out;
}

}  // namespace lueng::report
