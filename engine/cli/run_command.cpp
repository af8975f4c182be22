#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <optional>

#include "bindings/slo_files.hpp"
#include "engine/analysis/compare.hpp"
#include "engine/analysis/findings.hpp"
#include "engine/cli/commands.hpp"
#include "engine/cli/live_dashboard.hpp"
#include "engine/cli/output_kinds.hpp"
#include "engine/cli/run_flags.hpp"
#include "engine/cli/summary_hook.hpp"
#include "engine/common/duration.hpp"
#include "engine/common/exit_codes.hpp"
#include "engine/common/text_file.hpp"
#include "engine/exec/engine_error.hpp"
#include "engine/exec/stop_signals.hpp"
#include "engine/exec/test_run.hpp"
#include "engine/output/output_set.hpp"
#include "engine/report/compare_render.hpp"
#include "engine/report/summary.hpp"
#include "engine/result/result_file.hpp"
#include "engine/result/result_reader.hpp"

namespace lueng::cli {

namespace {
int64_t unix_now_ms() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

std::string output_kind_names() {
  std::string names;
  for (const auto& kind : output_kinds())
    names += (names.empty() ? "" : ", ") + std::string(kind.name);
  return names;
}
// handleSummary(data) with the result file as `data`. A failing hook is a script
// error (exit 107) and the default summary is printed instead, so nothing is lost.
std::optional<SummaryHookOutput> call_summary_hook(exec::TestRun& run, result::RunResult& result) {
  std::string problem;
  try {
    std::optional<std::string> returned = run.call_summary_hook(result::result_to_json(result));
    if (!returned) return std::nullopt;  // stopped by a signal
    SummaryHookOutput hook;
    problem = read_summary_hook_output(*returned, hook);
    if (problem.empty()) return hook;
  } catch (const exec::ScriptError& error) {
    problem = error.what();
  }
  fprintf(stderr, "lueng run: script error: %s\n", problem.c_str());
  result.exit_code = kExitScriptError;
  return std::nullopt;
}

}  // namespace

int run_command(const std::vector<std::string>& args) {
  FlagSet app{"Runs a load test script: lueng run [flags] SCRIPT.lua", "lueng run"};
  RunFlags flags;
  add_test_flags(app, flags);
  app.option("--summary-export", flags.summary_export, "write the result file (JSON) here");
  std::string export_interval = "60s";
  app.option("--summary-export-interval", export_interval,
             "also write the result file this often during the run, marked partial (0: "
             "only at the end; default 60s)");
  app.flag("-q,--quiet", flags.quiet, "no progress output");
  app.flag("--no-color", flags.no_color, "no colors in the summary");
  std::vector<std::string> outs;
  app.option("-o,--out", outs, "KIND=FILE output, repeatable; kinds: " + output_kind_names());
  std::string locust_prefix;
  app.option("--csv", locust_prefix,
             "PREFIX: Locust's PREFIX_stats.csv, PREFIX_stats_history.csv, PREFIX_failures.csv");
  std::string baseline_path;
  app.option("--baseline", baseline_path,
             "a result file to compare this run with at the end (see lueng compare)");
  std::string tolerance_text = "10%";
  app.option("--tolerance", tolerance_text, "regression tolerance for --baseline (default 10%)");
  bool strict = false;
  app.flag("--strict", strict, "an SLO with status WARNING fails the run (exit 1)");
  DashboardFlags dashboard_flags;
  add_dashboard_flags(app, dashboard_flags);
  if (auto status = app.parse(take_bare_dashboard(args, dashboard_flags), "run")) return *status;

  std::vector<OutputTarget> targets;
  std::vector<std::string> target_flags;  // each as given, for its messages
  for (const std::string& text : outs) {
    OutputTarget target;
    if (std::string problem = parse_output_target(text, &target); !problem.empty())
      return usage_error("run", problem);
    targets.push_back(target);
    target_flags.push_back("--out " + text);
  }
  if (!locust_prefix.empty()) {
    targets.push_back({"locust", locust_prefix});
    target_flags.push_back("--csv " + locust_prefix);
  }
  if (!flags.summary_export.empty())
    if (std::string problem = check_writable(flags.summary_export); !problem.empty())
      return usage_error("run", "--summary-export " + problem);
  // Two outputs of one file would overwrite or interleave each other: refused
  // before anything is opened (a streaming output truncates its file at once).
  std::vector<OutputFile> files;
  if (!flags.summary_export.empty())
    files.push_back({"--summary-export " + flags.summary_export, flags.summary_export});
  for (size_t i = 0; i < targets.size(); ++i)
    for (std::string& path : output_files(targets[i])) files.push_back({target_flags[i], path});
  if (std::string problem = same_file_problem(files); !problem.empty())
    return usage_error("run", problem);

  auto tolerance = analysis::parse_tolerance(tolerance_text);
  if (!tolerance)
    return usage_error("run", "invalid --tolerance '" + tolerance_text + "' (use e.g. 10%)");
  // Read before the run: a bad baseline should not cost a whole test.
  std::optional<result::RunResult> baseline;
  if (!baseline_path.empty()) try {
      baseline = result::read_result_file(baseline_path);
    } catch (const result::ResultReadError& error) {
      return usage_error("run", error.what());
    }

  exec::TestRunConfig config;
  if (std::string problem = to_config(flags, config); !problem.empty())
    return usage_error("run", problem);
  config.strict = strict;

  // Every output opens before the run, so a target that cannot be written fails
  // at once rather than after the test.
  output::OutputSet outputs;
  for (size_t i = 0; i < targets.size(); ++i)
    if (std::string problem =
            outputs.add(*find_output_kind(targets[i].kind), targets[i].target, target_flags[i]);
        !problem.empty())
      return usage_error("run", problem);
  config.samples = outputs.sample_writer();
  // Listening before the run: a port in use fails at once.
  LiveDashboard dashboard;
  if (std::string problem = dashboard.open(dashboard_flags); !problem.empty())
    return usage_error("run", problem);
  dashboard.wire(config);

  std::string why = "must not be negative";
  auto interval = parse_flag_duration(export_interval, &why);
  if (!interval || *interval < 0)
    return usage_error("run",
                       flag_duration_error("--summary-export-interval", export_interval, why) +
                           "; 0 writes at the end only");
  if (!flags.summary_export.empty() && *interval > 0) {
    config.checkpoint_seconds = *interval;
    config.checkpoint = [path = flags.summary_export](result::RunResult partial) {
      partial.findings = analysis::compute_findings(partial);
      std::string error;
      if (!result::write_result_file(partial, path, &error))
        fprintf(stderr, "WARN the partial result file: %s\n", error.c_str());
    };
  }

  // From here on SIGINT and SIGTERM stop the run in whatever phase it is, and
  // every requested output is still written.
  std::optional<exec::StopSignals> signals;
  exec::TestRun* running = nullptr;
  // A phase or worker left running (Lua looping where no stop reaches it) must not
  // see the run torn down under it: the process ends at once, outputs written.
  auto finish = [&running](int code) {
    if (running && running->abandoned()) {
      fflush(stdout);
      fflush(stderr);
      _exit(code);
    }
    return code;
  };
  result::RunResult result;
  try {
    exec::ensure_file_descriptors();
    signals.emplace();
    config.signals = &*signals;
  } catch (const exec::EngineError& error) {
    fprintf(stderr, "lueng run: %s\n", error.what());
    return kExitEngine;
  }
  exec::TestRun run(config);
  running = &run;
  bool banner_printed = false, init_failed = false;
  try {
    run.prepare();
    outputs.set_thresholds(run.slos());
    outputs.set_system_tags(run.system_tags().list());
    // What runs, before it runs (k6 prints it first too); flushed, since a pipe or
    // a CI log would otherwise show it only with the summary.
    // A summary hook owns stdout (its text replaces the summary): no banner then.
    if (!run.has_summary_hook()) {
      result::RunResult banner = run.describe();
      banner.random_seed = run.random_seed();
      fputs((report::render_scenarios(banner) + "\n").c_str(), stdout);
      if (const auto& part = banner.execution_segment)
        fprintf(stdout, "  execution segment %s of %s\n\n", part->segment.c_str(),
                part->sequence.empty() ? "the test" : part->sequence.c_str());
      fflush(stdout);
      banner_printed = true;
    }
    result = run.execute();
  } catch (const exec::ConfigError& error) {
    return finish(usage_error("run", error.what()));
  } catch (const exec::ScriptInterrupted&) {
    // A signal during the init code: nothing was measured, every output says so.
    result = run.describe();
    result.start_unix_ms = result.end_unix_ms = unix_now_ms();
    result.interrupted = true;
    result.interrupt_reason = signals->reason();
  } catch (const exec::ScriptError& error) {
    // The init code failed (a syntax error, a bad require): nothing was measured,
    // and every output says why, so that no earlier run's file is taken for this one.
    fprintf(stderr, "lueng run: script error: %s\n", error.what());
    init_failed = true;
    result = run.describe();
    result.start_unix_ms = result.end_unix_ms = unix_now_ms();
    result.script_errors.push_back({.message = error.what(), .phase = "init", .count = 1});
    result.slo.verdict = std::string("SCRIPT ERROR: ") + error.what();
    result.slo.exit_code = kExitScriptError;
  } catch (const exec::EngineError& error) {
    fprintf(stderr, "lueng run: %s\n", error.what());
    return finish(kExitEngine);
  }
  // The run has ended: what its time series says beyond the totals, for every
  // output, the summary hook and the result file alike.
  result.findings = analysis::compute_findings(result);

  if (std::string problem = bindings::add_recommendations(result.slo, config.source.module_dirs);
      !problem.empty())
    fprintf(stderr, "lueng run: %s\n", problem.c_str());

  // An interrupt outranks the SLOs: they were measured on part of the test only.
  result.exit_code = result.interrupted ? kExitInterrupted : result.slo.exit_code;
  // One instance of a distributed test ran its part: its SLOs are its own log's,
  // the verdict is `lueng merge`'s (docs/user-guide.md, "Execution segments").
  if (run.segmented() &&
      (result.exit_code == kExitSloFailed || result.exit_code == kExitSloCritical))
    result.exit_code = kExitOk;
  if (!run.phase_error().empty())
    fprintf(stderr, "lueng run: script error: %s\n", run.phase_error().c_str());
  else if (result.slo.exit_code == kExitScriptError && !init_failed)
    fprintf(stderr, "lueng run: script error: %s\n", result.slo.verdict.c_str());

  dashboard.finish(result);

  bool written = true;
  for (const std::string& problem : outputs.finish(result)) {
    fprintf(stderr, "lueng run: %s\n", problem.c_str());
    written = false;
  }

  std::optional<SummaryHookOutput> hook;
  if (run.has_summary_hook() && !run.abandoned()) hook = call_summary_hook(run, result);
  if (hook)
    for (const std::string& problem : write_summary_hook_files(*hook)) {
      fprintf(stderr, "lueng run: %s\n", problem.c_str());
      written = false;
    }

  if (hook && hook->stdout_text) {
    fputs(hook->stdout_text->c_str(), stdout);
  } else {
    report::SummaryStyle style;
    style.color = !flags.no_color && isatty(STDOUT_FILENO) && !std::getenv("NO_COLOR");
    style.scenarios = !banner_printed;
    fputs(report::render_summary(result, style).c_str(), stdout);
  }
  if (const auto& part = result.execution_segment)
    fprintf(stdout,
            "\n  execution segment %s of %s: the SLOs above judge this instance's part only; the "
            "test's verdict and exit status come from `lueng merge` of every instance's result "
            "file (this instance exits 0 unless it was stopped, misconfigured or its script "
            "failed)\n",
            part->segment.c_str(), part->sequence.empty() ? "the test" : part->sequence.c_str());
  fflush(stdout);

  if (baseline) {
    analysis::Comparison comparison = analysis::compare_runs(*baseline, result, *tolerance);
    fputs(("\n" + report::render_comparison_console(comparison, baseline_path, "this run")).c_str(),
          stdout);
    fflush(stdout);
  }

  if (!flags.summary_export.empty()) {
    std::string error;
    if (!result::write_result_file(result, flags.summary_export, &error)) {
      fprintf(stderr, "lueng run: %s\n", error.c_str());
      written = false;
    }
  }
  dashboard.linger(*signals);
  return finish(written ? result.exit_code : kExitInvalidConfig);
}

}  // namespace lueng::cli
