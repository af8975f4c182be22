#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <optional>

#include <fmt/format.h>

#include "engine/cli/commands.hpp"
#include "engine/cli/flag_set.hpp"
#include "engine/cli/run_flags.hpp"
#include "engine/cli/saved_slos.hpp"
#include "engine/common/duration.hpp"
#include "engine/common/exit_codes.hpp"
#include "engine/common/text_file.hpp"
#include "engine/report/slo_report.hpp"
#include "engine/result/k6_results.hpp"
#include "engine/result/result_reader.hpp"
#include "engine/result/slo_json.hpp"
#include "engine/thresholds/definitions.hpp"

namespace lueng::cli {

namespace {

std::string header(const result::RunResult& result, const std::string& path, bool summary_export) {
  // A k6 summary export does not say how long its run was.
  std::string out = fmt::format("\n     result: {}\n     script: {}", path, result.script);
  if (!summary_export) out += fmt::format(", {} run", format_duration(result.duration_seconds));
  if (result.interrupted) out += ", interrupted: " + result.interrupt_reason;
  if (result.partial) out += ", PARTIAL: written during the run, the numbers so far";
  return out + "\n";
}

// The result file, or k6's JSON stream or summary export (told by content): the
// migration bridge that gates k6 runs with lueng's SLOs.
struct LoadedResult {
  result::RunResult result;
  std::optional<result::K6Summary> k6_summary;  // a k6 summary export (result unused)
};

LoadedResult load_result(const std::string& path) {
  std::optional<std::string> text = read_text_file(path);
  if (!text) throw result::ResultReadError(path + ": cannot read: " + std::strerror(errno));
  LoadedResult loaded;
  switch (result::detect_result_source(*text)) {
    case result::ResultSource::kK6Stream:
      loaded.result = result::result_from_k6_stream(*text, path);
      break;
    case result::ResultSource::kK6Summary: {
      loaded.k6_summary = result::k6_summary_from_json(*text, path);
      loaded.result = loaded.k6_summary->result;
      break;
    }
    case result::ResultSource::kLueng:
      loaded.result = result::result_from_json(*text, path);
      break;
  }
  return loaded;
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
  app.option("result", result_path,
             "result file written by lueng run --summary-export, or k6's --out json stream or "
             "--summary-export file")
      .required();
  app.option("--slo", slo_path,
             "Lua file returning a thresholds table to check instead of the run's own");
  app.option("--format", format, "console, json or markdown")
      .one_of({"console", "json", "markdown"});
  app.option("-o,--output", output_path, "write the report to this file instead of stdout");
  app.flag("--ci", ci, "print one line per failing SLO and the verdict");
  app.flag("--strict", strict, "an SLO with status WARNING fails (exit 1)");
  app.flag("--no-color", no_color, "no colors in the console report");
  if (auto status = app.parse(args, "validate")) return *status;

  result::RunResult result;
  SavedVerdict saved;
  bool summary_export = false;
  try {
    LoadedResult loaded = load_result(result_path);
    result = std::move(loaded.result);
    saved = evaluate_saved(result, result_path, slo_path, strict, "validate",
                           loaded.k6_summary ? &*loaded.k6_summary : nullptr);
    summary_export = loaded.k6_summary.has_value();
  } catch (const result::ResultReadError& error) {
    return usage_error("validate", error.what());
  } catch (const thresholds::ThresholdError& error) {
    return usage_error("validate", error.what());
  }
  if (!saved.has_slos)
    return usage_error(
        "validate", slo_path.empty() ? result_path + " holds no SLOs; give them with --slo FILE.lua"
                                     : slo_path + ": the thresholds table is empty");
  const thresholds::SloReport& report = saved.report;

  std::string text;
  if (format == "json") {
    text = result::slo_report_to_json(report);
  } else if (format == "markdown") {
    text = report::render_slo_markdown(report);
  } else {
    bool color =
        output_path.empty() && !no_color && isatty(STDOUT_FILENO) && !std::getenv("NO_COLOR");
    text = header(result, result_path, summary_export) + report::render_slo_section(report, color);
  }
  if (ci) fputs(report::render_slo_ci(report).c_str(), stdout);
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
