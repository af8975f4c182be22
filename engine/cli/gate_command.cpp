#include <cstdio>
#include <string>

#include <fmt/format.h>

#include "engine/cli/commands.hpp"
#include "engine/cli/flag_set.hpp"
#include "engine/cli/saved_slos.hpp"
#include "engine/common/duration.hpp"
#include "engine/common/exit_codes.hpp"
#include "engine/report/slo_report.hpp"
#include "engine/result/result_reader.hpp"
#include "engine/result/script_errors.hpp"
#include "engine/thresholds/definitions.hpp"

namespace lueng::cli {

namespace {

// The gate's three answers. They are exit statuses a pipeline reads as they are:
// anything else (a usage error included) must never read as "allow", so the
// gate itself only ever exits with one of these.
enum Decision : int { kAllow = 0, kWarn = 1, kBlock = 2 };

int decide(Decision decision, const std::string& reason) {
  static const char* const kWords[] = {"ALLOW", "ALLOW WITH WARNING", "BLOCK"};
  printf("gate: %s (exit %d): %s\n", kWords[decision], static_cast<int>(decision), reason.c_str());
  fflush(stdout);
  return decision;
}

// Why a run cannot vouch for a deployment whatever its SLOs say: it did not run
// to its end, or the script did not do what it was written to do. "" when it can.
std::string unfinished_run(const result::RunResult& result) {
  if (result.partial)
    return "the result file was written during the run (partial): the run never finished";
  if (result.interrupted)
    return "the run was interrupted (" +
           (result.interrupt_reason.empty() ? std::string("a signal") : result.interrupt_reason) +
           "): its numbers cover only part of the test";
  for (const auto& error : result.script_errors)
    if (error.phase != "iteration")
      return fmt::format("{} failed: {}", error.phase_text(), error.message);
  result::ScriptErrorTotals totals = result::script_error_totals(result);
  if (totals.errors > 0)
    return result::script_errors_phrase(totals) + " (the script is broken, first: " +
           (result.script_errors.empty() ? std::string("?") : result.script_errors[0].message) +
           ")";
  int code = result.exit_code;
  if (code != kExitOk && code != kExitSloFailed && code != kExitSloCritical)
    return fmt::format("the run ended with exit status {} (neither a pass nor an SLO verdict)",
                       code);
  return "";
}

}  // namespace

// `lueng gate`: the pre-deployment decision on a saved result file. Exit 0 allows,
// 1 allows with a warning, 2 blocks; a missing, unreadable, partial or interrupted
// result, a script error, no SLOs or too low a compliance block.
int gate_command(const std::vector<std::string>& args) {
  FlagSet app(
      "Decides on a deployment from a saved run: lueng gate RESULT.json. Exit 0 allow, "
      "1 allow with a warning (an SLO failed, none critical), 2 block (a critical SLO "
      "failed, or the result is missing, partial, interrupted or has script errors)",
      "lueng gate");
  std::string result_path, slo_path;
  bool strict = false;
  double min_compliance = 0;
  app.option("result", result_path, "result file written by lueng run --summary-export").required();
  app.option("--slo", slo_path,
             "Lua file returning a thresholds table to check instead of the run's own");
  app.option("--min-compliance", min_compliance,
             "block when fewer than this percentage of the SLOs are met (e.g. 70)");
  app.flag("--strict", strict, "an SLO with status WARNING counts as failed");
  if (auto status = app.parse(args, "gate")) {
    // --help is an answer; a command line the gate cannot read blocks.
    return *status == kExitOk ? kExitOk : decide(kBlock, "invalid command line (see above)");
  }
  if (!(min_compliance >= 0 && min_compliance <= 100))
    return decide(kBlock, "--min-compliance must be a percentage from 0 to 100");

  result::RunResult result;
  SavedVerdict saved;
  try {
    result = result::read_result_file(result_path);
    if (std::string problem = unfinished_run(result); !problem.empty())
      return decide(kBlock, result_path + ": " + problem);
    saved = evaluate_saved(result, result_path, slo_path, strict, "gate");
  } catch (const result::ResultReadError& error) {
    return decide(kBlock, std::string("no usable result: ") + error.what());
  } catch (const thresholds::ThresholdError& error) {
    return decide(kBlock, std::string("the SLOs cannot be read: ") + error.what());
  }
  if (!saved.has_slos)
    return decide(kBlock, (slo_path.empty() ? result_path : slo_path) +
                              " holds no SLOs: nothing to decide on (give them with --slo)");

  const thresholds::SloReport& report = saved.report;
  printf("gate: %s: %s, %s run\n", result_path.c_str(), result.script.c_str(),
         format_duration(result.duration_seconds).c_str());
  fputs(report::render_slo_ci(report).c_str(), stdout);
  std::string verdict = fmt::format("{}, compliance {}", report::slo_verdict_line(report),
                                    report::slo_compliance_line(report));
  if (report.exit_code == kExitSloCritical) return decide(kBlock, verdict);
  if (report.exit_code != kExitOk && report.exit_code != kExitSloFailed)
    return decide(kBlock, verdict);
  if (report.compliance < min_compliance)
    return decide(kBlock, fmt::format("compliance {:.1f}% is below the {:g}% required ({})",
                                      report.compliance, min_compliance, verdict));
  return decide(report.exit_code == kExitOk ? kAllow : kWarn, verdict);
}

}  // namespace lueng::cli
