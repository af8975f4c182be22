#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>

#include <CLI/CLI.hpp>

#include "bindings/script_error.hpp"
#include "engine/cli/commands.hpp"
#include "engine/common/duration.hpp"
#include "engine/common/exit_codes.hpp"
#include "engine/exec/test_run.hpp"
#include "engine/output/result_file.hpp"
#include "engine/output/summary.hpp"

extern char** environ;

namespace lueng::cli {

namespace {

struct RunFlags {
  std::string script;
  int64_t vus = 0;
  std::string duration;
  int64_t iterations = 0;
  std::vector<std::string> env;
  int threads = 0;
  std::string summary_export;
  bool quiet = false;
  bool no_color = false;
  bool include_system_env = false;
};

void build_parser(CLI::App& app, RunFlags& flags) {
  app.description("Runs a load test script: lueng run [flags] SCRIPT.lua");
  app.add_option("script", flags.script, "the Lua scenario script")->required();
  app.add_option("-u,--vus", flags.vus, "number of virtual users (overrides the script)")
      ->check(CLI::PositiveNumber);
  app.add_option("-d,--duration", flags.duration,
                 "test duration, e.g. 30s, 5m, 1h30m (overrides the script)");
  app.add_option("-i,--iterations", flags.iterations,
                 "total iterations shared by the VUs (overrides the script)")
      ->check(CLI::PositiveNumber);
  app.add_option("-e,--env", flags.env, "KEY=VALUE added to the script's ENV table (repeatable)")
      ->allow_extra_args(false);
  app.add_flag("--include-system-env-vars", flags.include_system_env,
               "also put the process environment into ENV");
  app.add_option("--threads", flags.threads, "worker threads (default: one per core)")
      ->check(CLI::PositiveNumber);
  app.add_option("--summary-export", flags.summary_export, "write the result file (JSON) here");
  app.add_flag("-q,--quiet", flags.quiet, "no progress output");
  app.add_flag("--no-color", flags.no_color, "no colors in the summary");
}

// The parsed flags as run configuration. Returns "" or a one-line problem.
std::string to_config(const RunFlags& flags, exec::TestRunConfig& config) {
  if (!std::filesystem::is_regular_file(flags.script))
    return "script '" + flags.script + "' not found";
  config.source.path = flags.script;
  config.source.module_dirs = bindings::default_module_dirs(flags.script);
  if (flags.include_system_env)
    for (char** entry = environ; *entry; ++entry) {
      std::string text(*entry);
      size_t eq = text.find('=');
      if (eq != std::string::npos)
        config.source.env.emplace_back(text.substr(0, eq), text.substr(eq + 1));
    }
  for (const std::string& pair : flags.env) {
    size_t eq = pair.find('=');
    if (eq == std::string::npos || eq == 0) return "--env expects KEY=VALUE, got '" + pair + "'";
    config.source.env.emplace_back(pair.substr(0, eq), pair.substr(eq + 1));
  }
  if (flags.vus > 0) config.shortcuts.vus = flags.vus;
  if (flags.iterations > 0) config.shortcuts.iterations = flags.iterations;
  if (!flags.duration.empty()) {
    auto seconds = parse_duration(flags.duration);
    if (!seconds || *seconds <= 0)
      return "invalid --duration '" + flags.duration + "' (use e.g. 500ms, 30s, 2m30s, 1h)";
    config.shortcuts.duration = *seconds;
  }
  config.threads = flags.threads;
  config.progress = !flags.quiet;
  return "";
}

}  // namespace

int run_command(const std::vector<std::string>& args) {
  CLI::App app{"lueng run", "lueng run"};
  RunFlags flags;
  build_parser(app, flags);
  try {
    std::vector<std::string> reversed(args.rbegin(), args.rend());
    app.parse(reversed);
  } catch (const CLI::CallForHelp&) {
    printf("%s", app.help().c_str());
    return kExitOk;
  } catch (const CLI::ParseError& error) {
    return usage_error("run", error.what());
  }

  exec::TestRunConfig config;
  if (std::string problem = to_config(flags, config); !problem.empty())
    return usage_error("run", problem);

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

  result.exit_code = result.interrupted ? kExitInterrupted : kExitOk;
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
