#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>

#include <CLI/CLI.hpp>

#include "bindings/script_error.hpp"
#include "bindings/slo_files.hpp"
#include "engine/cli/commands.hpp"
#include "engine/cli/run_flags.hpp"
#include "engine/common/duration.hpp"
#include "engine/common/exit_codes.hpp"
#include "engine/exec/test_run.hpp"
#include "engine/output/result_file.hpp"
#include "engine/output/summary.hpp"

namespace lueng::cli {

int run_command(const std::vector<std::string>& args) {
  CLI::App app{"Runs a load test script: lueng run [flags] SCRIPT.lua", "lueng run"};
  RunFlags flags;
  add_test_flags(app, flags);
  app.add_option("--summary-export", flags.summary_export, "write the result file (JSON) here");
  app.add_flag("-q,--quiet", flags.quiet, "no progress output");
  app.add_flag("--no-color", flags.no_color, "no colors in the summary");
  bool strict = false;
  app.add_flag("--strict", strict, "an SLO with status WARNING fails the run (exit 1)");
  if (auto status = parse_args(app, args, "run")) return *status;

  exec::TestRunConfig config;
  if (std::string problem = to_config(flags, config); !problem.empty())
    return usage_error("run", problem);
  config.strict = strict;

  exec::TestRun run(config);
  output::RunResult result;
  try {
    run.prepare();
    result = run.execute();
  } catch (const exec::ConfigError& error) {
    return usage_error("run", error.what());
  } catch (const bindings::ScriptError& error) {
    fprintf(stderr, "lueng run: script error: %s\n", error.what());
    return kExitScriptError;
  }

  if (std::string problem = bindings::add_recommendations(result.slo, config.source.module_dirs);
      !problem.empty())
    fprintf(stderr, "lueng run: %s\n", problem.c_str());

  // An interrupt outranks the SLOs: they were measured on part of the test only.
  result.exit_code = result.interrupted ? kExitInterrupted : result.slo.exit_code;
  if (!run.teardown_error().empty()) {
    fprintf(stderr, "lueng run: script error: %s\n", run.teardown_error().c_str());
    result.exit_code = kExitScriptError;
  }

  output::SummaryStyle style;
  style.color = !flags.no_color && isatty(STDOUT_FILENO) && !std::getenv("NO_COLOR");
  fputs(output::render_summary(result, style).c_str(), stdout);
  fflush(stdout);

  if (!flags.summary_export.empty()) {
    std::string error;
    if (!output::write_result_file(result, flags.summary_export, &error)) {
      fprintf(stderr, "lueng run: %s\n", error.c_str());
      return kExitInvalidConfig;
    }
  }
  return result.exit_code;
}

}  // namespace lueng::cli
