#include <unistd.h>

#include <cstdio>
#include <cstdlib>

#include <fmt/format.h>

#include "bindings/script_state.hpp"
#include "bindings/slo_files.hpp"
#include "engine/cli/commands.hpp"
#include "engine/cli/flag_set.hpp"
#include "engine/cli/run_flags.hpp"
#include "engine/common/duration.hpp"
#include "engine/common/exit_codes.hpp"
#include "engine/output/result_reader.hpp"
#include "engine/output/script_errors.hpp"
#include "engine/output/slo_json.hpp"
#include "engine/output/slo_report.hpp"
#include "engine/thresholds/definitions.hpp"
#include "engine/thresholds/evaluate.hpp"

namespace lueng::cli {

namespace {

// The SLOs of a --slo file, typed by the metrics of the saved run, the run's
// own SLOs and the built-in catalog. A metric none of them knows got no samples
// in that run: its SLOs are NO DATA, as they would have been at the end of it.
std::vector<thresholds::SloDefinition> slos_of_file(const std::string& path,
                                                    const output::RunResult& result) {
  rapidjson::Document table = bindings::load_thresholds_file(path);
  metrics::MetricCatalog builtins;
  auto lookup = [&](std::string_view name) -> std::optional<metrics::MetricDef> {
    if (const metrics::MetricData* metric = result.metrics.find(name)) return metric->def;
    for (const auto& own : result.slo.results)
      if (own.slo.metric.name == name) return own.slo.metric;
    if (auto id = builtins.find(name)) return builtins.def(*id);
    return std::nullopt;
  };
  return thresholds::parse_thresholds(table, lookup, path, "thresholds",
                                      thresholds::UnknownMetrics::kNoData);
}

// Where in `slos` the abort_on_fail SLO that stopped the saved run is: the same
// key, expression and abort_on_fail. "" when the SLO file has no such SLO.
std::string abort_among(const std::vector<thresholds::SloDefinition>& slos,
                        const thresholds::SloReport& saved) {
  if (saved.aborted_by.empty()) return "";
  for (const auto& result : saved.results) {
    if (result.slo.where != saved.aborted_by) continue;
    for (const auto& slo : slos)
      if (slo.abort_on_fail && slo.selector.filter == result.slo.selector.filter &&
          slo.selector.metric == result.slo.selector.metric &&
          slo.threshold.text == result.slo.threshold.text)
        return slo.where;
  }
  return "";
}

std::string header(const output::RunResult& result, const std::string& path) {
  std::string out = fmt::format("\n     result: {}\n     script: {}, {} run", path, result.script,
                                format_duration(result.duration_seconds));
  if (result.interrupted) out += ", interrupted: " + result.interrupt_reason;
  if (result.partial) out += ", PARTIAL: written during the run, the numbers so far";
  return out + "\n";
}

}  // namespace

// `lueng validate`: re-evaluates SLOs on a saved result file, offline, with the
// statuses and exit codes of the end of a run.
int validate_command(const std::vector<std::string>& args) {
  FlagSet app{
      "Re-evaluates SLOs on a saved result file: lueng validate RESULT.json [--slo FILE.lua]",
      "lueng validate"};
  std::string result_path, slo_path, format = "console", output_path;
  bool ci = false, strict = false, no_color = false;
  app.option("result", result_path, "result file written by lueng run --summary-export").required();
  app.option("--slo", slo_path,
             "Lua file returning a thresholds table to check instead of the run's own");
  app.option("--format", format, "console, json or markdown")
      .one_of({"console", "json", "markdown"});
  app.option("-o,--output", output_path, "write the report to this file instead of stdout");
  app.flag("--ci", ci, "print one line per failing SLO and the verdict");
  app.flag("--strict", strict, "an SLO with status WARNING fails (exit 1)");
  app.flag("--no-color", no_color, "no colors in the console report");
  if (auto status = app.parse(args, "validate")) return *status;

  output::RunResult result;
  std::vector<thresholds::SloDefinition> slos;
  std::string aborted_by;
  try {
    result = output::read_result_file(result_path);
    // The SLOs that stopped the run keep its abort, whether they are its own
    // or the same ones in an SLO file: the measurements stop where it did.
    if (!slo_path.empty()) {
      slos = slos_of_file(slo_path, result);
      aborted_by = abort_among(slos, result.slo);
    } else {
      for (const auto& r : result.slo.results) slos.push_back(r.slo);
      aborted_by = result.slo.aborted_by;
      // And the run's own SLOs keep its --strict.
      strict = strict || result.slo.strict;
    }
  } catch (const output::ResultReadError& error) {
    return usage_error("validate", error.what());
  } catch (const thresholds::ThresholdError& error) {
    return usage_error("validate", error.what());
  }
  if (slos.empty())
    return usage_error(
        "validate", slo_path.empty() ? result_path + " holds no SLOs; give them with --slo FILE.lua"
                                     : slo_path + ": the thresholds table is empty");

  thresholds::SloReport report =
      thresholds::evaluate_all(slos, result.metrics, result.duration_seconds, strict, aborted_by);
  // As at the end of the run: a run that measured nothing but script errors is not
  // a pass, whatever SLOs are checked on it.
  output::apply_script_errors(report, output::script_error_totals(result));
  std::string dirs_from = slo_path.empty() ? result_path : slo_path;
  if (std::string problem =
          bindings::add_recommendations(report, bindings::default_module_dirs(dirs_from));
      !problem.empty())
    fprintf(stderr, "lueng validate: %s\n", problem.c_str());

  std::string text;
  if (format == "json") {
    text = output::slo_report_to_json(report);
  } else if (format == "markdown") {
    text = output::render_slo_markdown(report);
  } else {
    bool color =
        output_path.empty() && !no_color && isatty(STDOUT_FILENO) && !std::getenv("NO_COLOR");
    text = header(result, result_path) + output::render_slo_section(report, color);
  }
  if (ci) fputs(output::render_slo_ci(report).c_str(), stdout);
  if (!output_path.empty()) {
    FILE* file = std::fopen(output_path.c_str(), "wb");
    bool ok = file && std::fwrite(text.data(), 1, text.size(), file) == text.size();
    if (file) ok = std::fclose(file) == 0 && ok;
    if (!ok) return usage_error("validate", output_path + ": cannot write the report");
  } else if (!ci) {
    fputs(text.c_str(), stdout);
  }
  fflush(stdout);
  return report.exit_code;
}

}  // namespace lueng::cli
