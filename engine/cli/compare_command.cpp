#include <cstdio>

#include "engine/analysis/compare.hpp"
#include "engine/cli/commands.hpp"
#include "engine/cli/flag_set.hpp"
#include "engine/cli/run_flags.hpp"
#include "engine/common/exit_codes.hpp"
#include "engine/report/compare_render.hpp"
#include "engine/result/result_reader.hpp"

namespace lueng::cli {

// `lueng compare`: a saved run against a baseline; exit 1 on a regression.
int compare_command(const std::vector<std::string>& args) {
  FlagSet app{
      "Compares a run with a baseline: lueng compare BASELINE.json CURRENT.json "
      "[--tolerance 10%] [--format console|markdown|json]",
      "lueng compare"};
  std::string baseline_path, current_path, tolerance_text = "10%", format = "console";
  app.option("baseline", baseline_path, "the baseline result file").required();
  app.option("current", current_path, "the result file to judge").required();
  app.option("--tolerance", tolerance_text,
             "how much worse a value may be before it is a regression (default 10%)");
  app.option("--format", format, "console, markdown or json")
      .one_of({"console", "markdown", "json"});
  if (auto status = app.parse(args, "compare")) return *status;
  auto tolerance = analysis::parse_tolerance(tolerance_text);
  if (!tolerance)
    return usage_error("compare", "invalid --tolerance '" + tolerance_text + "' (use e.g. 10%)");

  result::RunResult baseline, current;
  try {
    baseline = result::read_result_file(baseline_path);
    current = result::read_result_file(current_path);
  } catch (const result::ResultReadError& error) {
    return usage_error("compare", error.what());
  }
  analysis::Comparison comparison = analysis::compare_runs(baseline, current, *tolerance);
  std::string text =
      format == "json" ? report::render_comparison_json(comparison, baseline_path, current_path)
      : format == "markdown"
          ? report::render_comparison_markdown(comparison, baseline_path, current_path)
          : report::render_comparison_console(comparison, baseline_path, current_path);
  fputs(text.c_str(), stdout);
  fflush(stdout);
  return comparison.regressed() ? kExitSloFailed : kExitOk;
}

}  // namespace lueng::cli
