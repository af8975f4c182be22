#include "engine/result/script_errors.hpp"

#include <fmt/format.h>

#include "engine/common/exit_codes.hpp"
#include "engine/metrics/tags.hpp"

namespace lueng::result {

std::string ScriptErrorCount::location() const {
  // Lua's "chunk:line: text": the place ends at the first ": " after a colon and digits.
  for (size_t colon = message.find(':'); colon != std::string::npos;
       colon = message.find(':', colon + 1)) {
    size_t digits = colon + 1;
    while (digits < message.size() && message[digits] >= '0' && message[digits] <= '9') ++digits;
    if (digits > colon + 1 && message.compare(digits, 2, ": ") == 0)
      return message.substr(0, digits);
  }
  return "";
}

ScriptErrorTotals script_error_totals(const RunResult& result) {
  ScriptErrorTotals totals;
  if (const auto* iterations = result.metrics.find("iterations"))
    totals.iterations = static_cast<uint64_t>(iterations->total.sum);
  if (const auto* errors = result.metrics.find("script_errors"))
    for (const auto& [tags, aggregate] : errors->by_tags) {
      bool deliberate = false;
      metrics::for_each_tag(tags, [&](std::string_view key, std::string_view value) {
        if (key == "kind" && value == "fail") deliberate = true;
      });
      (deliberate ? totals.fails : totals.errors) += static_cast<uint64_t>(aggregate.sum);
    }
  return totals;
}

std::string group_thousands(uint64_t value) {
  std::string digits = std::to_string(value);
  for (size_t at = digits.size(); at > 3; at -= 3) digits.insert(at - 3, ",");
  return digits;
}

std::string script_errors_phrase(const ScriptErrorTotals& totals) {
  if (totals.errors == 0 && totals.fails == 0) return "";
  std::string phrase;
  if (totals.errors > 0)
    phrase = fmt::format("{} script error{}", group_thousands(totals.errors),
                         totals.errors == 1 ? "" : "s");
  if (totals.fails > 0)
    phrase += fmt::format("{}{} lueng.fail()", phrase.empty() ? "" : " and ",
                          group_thousands(totals.fails));
  return fmt::format("{} in {} iteration{}", phrase, group_thousands(totals.iterations),
                     totals.iterations == 1 ? "" : "s");
}

void apply_script_errors(thresholds::SloReport& report, const ScriptErrorTotals& totals) {
  if (totals.nothing_measured()) {
    report.verdict =
        "SCRIPT ERRORS: no iteration finished without one (" + script_errors_phrase(totals) + ")";
    report.exit_code = kExitScriptError;
    return;
  }
  if (totals.errors > 0 && report.strict && report.exit_code == 0) {
    report.exit_code = kExitSloFailed;
    report.verdict = "FAILED";
  }
  if (std::string phrase = script_errors_phrase(totals); !phrase.empty())
    report.verdict += " with " + phrase;
}

ReportVerdict report_verdict(const RunResult& result) {
  const thresholds::SloReport& slo = result.slo;
  if (slo.results.empty() && result.script_errors.empty() && slo.exit_code == 0)
    return {"NO SLOs", VerdictTone::kNone};
  VerdictTone tone = slo.exit_code != 0                                        ? VerdictTone::kFail
                     : slo.verdict == "PASSED" && result.script_errors.empty() ? VerdictTone::kPass
                                                                               : VerdictTone::kWarn;
  return {slo.verdict, tone};
}

}  // namespace lueng::result
