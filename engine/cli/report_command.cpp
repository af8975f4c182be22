#include <cstdio>
#include <map>

#include "engine/analysis/findings.hpp"
#include "engine/cli/commands.hpp"
#include "engine/cli/flag_set.hpp"
#include "engine/cli/output_kinds.hpp"
#include "engine/cli/run_flags.hpp"
#include "engine/common/exit_codes.hpp"
#include "engine/output/output_set.hpp"
#include "engine/result/result_reader.hpp"

namespace lueng::cli {

// `lueng report`: renders the end-of-run reports offline from a saved result
// file; the same renderers as `lueng run --out`, so both always agree.
int report_command(const std::vector<std::string>& args) {
  FlagSet app{"Renders reports from a saved result file: lueng report RESULT.json [--KIND FILE]...",
              "lueng report"};
  std::string result_path;
  app.option("result", result_path, "result file written by lueng run --summary-export").required();
  std::map<std::string, std::string> files;  // kind -> file
  for (const auto& kind : output_kinds())
    if (kind.from_result_file)
      app.option(std::string("--") + kind.name, files[kind.name],
                 std::string("write the ") + kind.help + " here");
  std::string locust_prefix;
  app.option("--csv", locust_prefix,
             "PREFIX: Locust's PREFIX_stats.csv, PREFIX_stats_history.csv, PREFIX_failures.csv");
  if (auto status = app.parse(args, "report")) return *status;

  std::vector<OutputTarget> targets;
  for (const auto& [kind, file] : files)
    if (!file.empty()) targets.push_back({kind, file});
  if (targets.empty() && locust_prefix.empty()) {
    std::string flags;
    for (const auto& [kind, file] : files) flags += (flags.empty() ? "--" : ", --") + kind;
    flags += ", --csv";
    return usage_error("report", "nothing to write; give at least one of " + flags);
  }

  result::RunResult result;
  try {
    result = result::read_result_file(result_path);
  } catch (const result::ResultReadError& error) {
    return usage_error("report", error.what());
  }
  result.findings = analysis::compute_findings(result);  // the file's are for other readers
  // The same outputs as `lueng run --out`, finished with the saved result.
  if (!locust_prefix.empty()) targets.push_back({"locust", locust_prefix});
  output::OutputSet outputs;
  bool ok = true;
  for (const OutputTarget& target : targets)
    if (std::string problem = outputs.add(
            *find_output_kind(target.kind), target.target,
            (target.kind == "locust" ? "--csv " : "--" + target.kind + " ") + target.target);
        !problem.empty()) {
      fprintf(stderr, "lueng report: %s\n", problem.c_str());
      ok = false;
    }
  for (const std::string& problem : outputs.finish(result)) {
    fprintf(stderr, "lueng report: %s\n", problem.c_str());
    ok = false;
  }
  return ok ? kExitOk : kExitInvalidConfig;
}

}  // namespace lueng::cli
