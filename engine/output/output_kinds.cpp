#include "engine/output/output_kinds.hpp"

#include "engine/output/csv_output.hpp"
#include "engine/output/html_report.hpp"
#include "engine/output/json_output.hpp"
#include "engine/output/junit_report.hpp"
#include "engine/output/locust_csv.hpp"
#include "engine/output/markdown_report.hpp"
#include "engine/output/text_file.hpp"

namespace lueng::output {

const std::vector<OutputKind>& output_kinds() {
  static const std::vector<OutputKind> kinds = {
      {"json", "JSON lines of every sample as the run goes, k6's format (FILE.gz: gzip)", nullptr,
       open_json_output},
      {"csv", "CSV rows of every sample as the run goes, k6's columns (FILE.gz: gzip)", nullptr,
       open_csv_output},
      {"locust", "Locust's PREFIX_stats.csv, _stats_history.csv and _failures.csv, at the end",
       nullptr, open_locust_output},
      {"html", "self-contained HTML report with charts, at the end of the run", render_html_report},
      {"markdown", "Markdown report for a pull-request comment, at the end of the run",
       render_markdown_report},
      {"junit", "JUnit XML: a test case per SLO and per check, at the end of the run",
       render_junit_report},
  };
  return kinds;
}

const OutputKind* find_output_kind(std::string_view name) {
  for (const auto& kind : output_kinds())
    if (name == kind.name) return &kind;
  return nullptr;
}

std::string parse_output_target(std::string_view text, OutputTarget* target) {
  size_t eq = text.find('=');
  std::string known;
  for (const auto& kind : output_kinds())
    known += (known.empty() ? "" : ", ") + std::string(kind.name);
  if (eq == std::string_view::npos || eq == 0 || eq + 1 == text.size())
    return "--out expects KIND=FILE, got '" + std::string(text) + "' (kinds: " + known + ")";
  std::string_view kind = text.substr(0, eq);
  if (!find_output_kind(kind))
    return "--out: unknown kind '" + std::string(kind) + "' (kinds: " + known + ")";
  target->kind = std::string(kind);
  target->target = std::string(text.substr(eq + 1));
  return "";
}

std::string check_end_of_run_outputs(const std::vector<OutputTarget>& targets) {
  for (const auto& target : targets) {
    const OutputKind* kind = find_output_kind(target.kind);
    if (!kind || !kind->render_at_end) continue;
    if (std::string problem = check_writable(target.target); !problem.empty()) return problem;
  }
  return "";
}

std::vector<std::string> write_end_of_run_outputs(const RunResult& result,
                                                  const std::vector<OutputTarget>& targets) {
  std::vector<std::string> problems;
  for (const auto& target : targets) {
    const OutputKind* kind = find_output_kind(target.kind);
    if (!kind || !kind->render_at_end) continue;
    std::string error;
    if (!write_text_file(target.target, kind->render_at_end(result), &error))
      problems.push_back(error);
  }
  return problems;
}

}  // namespace lueng::output
