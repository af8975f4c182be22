#pragma once

#include <cstdint>
#include <string>

#include "engine/result/run_result.hpp"
#include "engine/thresholds/slo.hpp"

namespace lueng::result {

// How the iterations of a run ended, from its script_errors and iterations metrics.
struct ScriptErrorTotals {
  uint64_t iterations = 0;  // finished, whatever way
  uint64_t errors = 0;      // ended by a Lua error
  uint64_t fails = 0;       // ended by lueng.fail()
  // No iteration finished without a script error: the test measured nothing.
  bool nothing_measured() const { return errors > 0 && errors >= iterations; }
};

ScriptErrorTotals script_error_totals(const RunResult& result);

// Takes the script errors into the verdict: with none, nothing changes; when no
// iteration finished without one, the verdict is SCRIPT ERRORS (exit 107); else
// it says "with N script errors in M iterations" and --strict makes it exit 1.
// Failures by lueng.fail() are named but leave the verdict to the SLOs.
void apply_script_errors(thresholds::SloReport& report, const ScriptErrorTotals& totals);

// "37 script errors in 1,204 iterations" (and ", 5 lueng.fail()"), "" with none.
std::string script_errors_phrase(const ScriptErrorTotals& totals);

// "1,204"
std::string group_thousands(uint64_t value);

// The verdict a report leads with. A run with neither SLOs nor script errors has
// none to give (kNone, "NO SLOs").
enum class VerdictTone { kPass, kWarn, kFail, kNone };
struct ReportVerdict {
  std::string text;
  VerdictTone tone = VerdictTone::kNone;
};
ReportVerdict report_verdict(const RunResult& result);

}  // namespace lueng::result
