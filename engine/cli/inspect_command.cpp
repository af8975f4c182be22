#include <cstdio>

#include <fmt/format.h>

#include "engine/cli/commands.hpp"
#include "engine/cli/run_flags.hpp"
#include "engine/common/duration.hpp"
#include "engine/common/exit_codes.hpp"
#include "engine/common/utc_time.hpp"
#include "engine/report/summary.hpp"
#include "engine/thresholds/slo.hpp"

namespace lueng::cli {

// `lueng inspect`: resolves a script's scenarios exactly as `lueng run` would
// (same flags, same errors) and prints them without sending a request.
int inspect_command(const std::vector<std::string>& args) {
  FlagSet app{"Prints the scenarios a script would run: lueng inspect [flags] SCRIPT.lua",
              "lueng inspect"};
  RunFlags flags;
  add_test_flags(app, flags);
  if (auto status = app.parse(args, "inspect")) return *status;
  exec::TestRunConfig config;
  if (std::string problem = to_config(flags, config); !problem.empty())
    return usage_error("inspect", problem);
  exec::TestRun run(config);
  try {
    run.prepare();
  } catch (const exec::ConfigError& error) {
    return usage_error("inspect", error.what());
  } catch (const exec::ScriptError& error) {
    fprintf(stderr, "lueng inspect: script error: %s\n", error.what());
    return kExitScriptError;
  }
  result::RunResult plan = run.describe();
  std::string out = report::render_scenarios(plan);
  out += fmt::format("\n  {} worker thread{}", plan.workers, plan.workers == 1 ? "" : "s");
  if (!run.workers_note().empty()) out += " (" + run.workers_note() + ")";
  out += "\n";
  if (const auto& part = plan.execution_segment)
    out += fmt::format("  execution segment {} of {}\n", part->segment,
                       part->sequence.empty() ? "the test" : part->sequence);
  if (plan.start_at_unix_ms)
    out += fmt::format("  load starts at {} (--start-at)\n",
                       format_utc(*plan.start_at_unix_ms, UtcFormat::kIsoMillis));
  out += "\n";
  for (const auto& s : plan.scenarios) {
    out += fmt::format("  {}\n", s.name);
    out += fmt::format("    executor:      {}\n", s.executor);
    out += fmt::format("    load:          {}\n", s.description);
    out += fmt::format("    exec:          {}\n", s.exec);
    if (!s.segment_share.empty()) out += fmt::format("    this segment:  {}\n", s.segment_share);
    out += fmt::format("    start:         {}\n", format_duration(s.start_time));
    out += fmt::format("    runs at most:  {} + gracefulStop {} = ends by {}\n",
                       format_duration(s.max_duration), format_duration(s.graceful_stop),
                       format_duration(s.start_time + s.max_duration + s.graceful_stop));
    if (!s.tags.empty()) {
      std::string tags;
      for (const auto& [key, value] : s.tags)
        tags += (tags.empty() ? "" : ", ") + key + "=" + value;
      out += fmt::format("    tags:          {}\n", tags);
    }
  }
  if (!run.slos().empty()) out += "\n  SLOs (checked at the end; abort_on_fail every second)\n";
  for (const auto& slo : run.slos()) {
    std::string extra = thresholds::priority_name(slo.priority);
    if (slo.warn) extra += ", warn " + slo.warn->text;
    if (slo.window > 0) extra += fmt::format(", every {}s window", slo.window);
    if (slo.abort_on_fail)
      extra += ", abort_on_fail after " + format_duration(slo.delay_abort_eval);
    if (slo.allow_empty) extra += ", allow_empty";
    out += fmt::format("    {} {} ({})\n", slo.selector.text, slo.threshold.text, extra);
  }
  fputs(out.c_str(), stdout);
  return kExitOk;
}

}  // namespace lueng::cli
