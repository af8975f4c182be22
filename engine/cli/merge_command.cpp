#include <unistd.h>

#include <cstdio>
#include <cstdlib>

#include "engine/analysis/findings.hpp"
#include "engine/cli/commands.hpp"
#include "engine/cli/flag_set.hpp"
#include "engine/cli/output_kinds.hpp"
#include "engine/cli/saved_slos.hpp"
#include "engine/common/exit_codes.hpp"
#include "engine/common/utc_time.hpp"
#include "engine/output/output_set.hpp"
#include "engine/report/summary.hpp"
#include "engine/result/result_file.hpp"
#include "engine/result/result_merge.hpp"
#include "engine/result/result_reader.hpp"
#include "engine/thresholds/definitions.hpp"

namespace lueng::cli {

namespace {

// The reports a merge can make: those rendered from the result model alone.
std::string open_outputs(const std::vector<std::string>& outs, output::OutputSet& outputs) {
  for (const std::string& text : outs) {
    OutputTarget target;
    if (std::string problem = parse_output_target(text, &target); !problem.empty()) return problem;
    const output::OutputKind& kind = *find_output_kind(target.kind);
    if (!kind.from_result_file && target.kind != "locust")
      return "--out " + target.kind +
             " streams the samples of a run; lueng merge writes html, markdown, junit and locust";
    if (std::string problem = outputs.add(kind, target.target, "--out " + text); !problem.empty())
      return problem;
  }
  return "";
}

// Which instance an abort_on_fail SLO stopped, and when: a segmented instance
// exits 0 after its abort, so the merge is where it is said.
void tell_aborts(const result::RunResult& merged) {
  for (const result::MergedInput& input : merged.merged_from)
    if (!input.aborted_by.empty())
      fprintf(stderr, "lueng merge: %s (segment %s) was aborted by %s at %s\n", input.file.c_str(),
              input.segment.c_str(), input.aborted_by.c_str(),
              format_utc(input.end_unix_ms, UtcFormat::kIsoMillis).c_str());
}

}  // namespace

// `lueng merge`: the result files of one test's execution segments as the
// result of one run of the whole test, with its verdict and exit status.
int merge_command(const std::vector<std::string>& args) {
  FlagSet app{
      "Merges the result files of one test's segments: lueng merge RESULT.json... "
      "[--summary-export MERGED.json] [--out KIND=FILE]...",
      "lueng merge"};
  std::vector<std::string> paths, outs;
  std::string summary_export, slo_path;
  bool strict = false, no_color = false;
  app.arguments("results", paths, "result files written by lueng run --summary-export").required();
  app.option("--summary-export", summary_export, "write the merged result file (JSON) here");
  app.option("-o,--out", outs, "KIND=FILE: html, markdown, junit or locust=PREFIX (repeatable)");
  app.option("--slo", slo_path,
             "Lua file returning a thresholds table to check instead of the runs' own");
  app.flag("--strict", strict, "an SLO with status WARNING fails (exit 1)");
  app.flag("--no-color", no_color, "no colors in the summary");
  if (auto status = app.parse(args, "merge")) return *status;

  output::OutputSet outputs;
  if (std::string problem = open_outputs(outs, outputs); !problem.empty())
    return usage_error("merge", problem);

  std::vector<result::MergeSource> inputs;
  result::MergedResult merged;
  try {
    for (const std::string& path : paths) inputs.push_back({path, result::read_result_file(path)});
    merged = result::merge_results(inputs);
  } catch (const result::ResultReadError& error) {
    return usage_error("merge", error.what());
  } catch (const result::MergeRefused& error) {
    return usage_error("merge", error.what());
  }
  for (const std::string& warning : merged.warnings)
    fprintf(stderr, "lueng merge: warning: %s\n", warning.c_str());
  result::RunResult& result = merged.result;

  // The SLOs again as `lueng validate` evaluates a saved run (recommendations,
  // --slo, --strict), on the merged numbers.
  try {
    SavedVerdict saved = evaluate_saved(result, paths.front(), slo_path, strict, "merge");
    if (saved.has_slos)
      result.slo = saved.report;
    else if (!slo_path.empty())
      return usage_error("merge", slo_path + ": the thresholds table is empty");
  } catch (const result::ResultReadError& error) {
    return usage_error("merge", error.what());
  } catch (const thresholds::ThresholdError& error) {
    return usage_error("merge", error.what());
  }
  result.exit_code = result::merged_exit_code(result);
  result.findings = analysis::compute_findings(result);
  tell_aborts(result);

  bool written = true;
  for (const std::string& problem : outputs.finish(result)) {
    fprintf(stderr, "lueng merge: %s\n", problem.c_str());
    written = false;
  }
  if (!summary_export.empty()) {
    std::string error;
    if (!result::write_result_file(result, summary_export, &error)) {
      fprintf(stderr, "lueng merge: %s\n", error.c_str());
      written = false;
    }
  }
  report::SummaryStyle style;
  style.color = !no_color && isatty(STDOUT_FILENO) && !std::getenv("NO_COLOR");
  fputs(report::render_summary(result, style).c_str(), stdout);
  fflush(stdout);
  return written ? result.exit_code : kExitInvalidConfig;
}

}  // namespace lueng::cli
