#include "engine/cli/output_kinds.hpp"

#include "engine/output/csv_output.hpp"
#include "engine/output/json_output.hpp"
#include "engine/output/prometheus_rw_output.hpp"
#include "engine/output/rendered_file.hpp"
#include "engine/report/html_report.hpp"
#include "engine/report/junit_report.hpp"
#include "engine/report/k6_summary.hpp"
#include "engine/report/locust_csv.hpp"
#include "engine/report/markdown_report.hpp"

namespace lueng::cli {

using output::open_csv_output;
using output::open_json_output;
using output::open_rendered_file;
using output::open_rendered_files;
using output::Output;
using output::OutputKind;
using output::RenderedPath;
using report::kLocustFiles;
using report::LocustFile;
using report::render_html_report;
using report::render_junit_report;
using report::render_markdown_report;

namespace {

std::unique_ptr<Output> open_html(const std::string& path, std::string* error) {
  return open_rendered_file(path, render_html_report, error);
}

std::unique_ptr<Output> open_markdown(const std::string& path, std::string* error) {
  return open_rendered_file(path, render_markdown_report, error);
}

std::unique_ptr<Output> open_k6_summary(const std::string& path, std::string* error) {
  return open_rendered_file(path, report::render_k6_summary, error);
}

std::unique_ptr<Output> open_junit(const std::string& path, std::string* error) {
  return open_rendered_file(path, render_junit_report, error);
}

// --csv PREFIX (--out locust=PREFIX): checks now that PREFIX's directory can take
// the files, writes them when the run has ended.
std::unique_ptr<Output> open_locust(const std::string& prefix, std::string* error) {
  std::vector<RenderedPath> files;
  for (const LocustFile& file : kLocustFiles) files.push_back({prefix + file.suffix, file.render});
  return open_rendered_files(std::move(files), error);
}

}  // namespace

const std::vector<OutputKind>& output_kinds() {
  static const std::vector<OutputKind> kinds = {
      {"json", "JSON lines of every sample as the run goes, k6's format (FILE.gz: gzip)",
       open_json_output},
      {"csv",
       "CSV rows of every sample as the run goes, k6's columns (csv[=FILE] or "
       "csv=fileName=F,timeFormat=unix|rfc3339|...,saveInterval=1s; FILE.gz: gzip)",
       open_csv_output, false, true},
      {"locust", "Locust's PREFIX_stats.csv, _stats_history.csv and _failures.csv, at the end",
       open_locust},
      {"html", "self-contained HTML report with charts, at the end of the run", open_html, true},
      {"markdown", "Markdown report for a pull-request comment, at the end of the run",
       open_markdown, true},
      {"junit", "JUnit XML: a test case per SLO and per check, at the end of the run", open_junit,
       true},
      {"prometheus-rw",
       "Prometheus remote write as the run goes, k6's naming (=URL, default "
       "http://127.0.0.1:9090/api/v1/write; docs/outputs.md)",
       output::open_prometheus_rw_output, false, true},
      {"k6-summary", "k6's --summary-export layout (jq paths written for k6 read it), at the end",
       open_k6_summary, true},
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
  if (eq == std::string_view::npos)
    if (const OutputKind* kind = find_output_kind(text); kind && kind->target_optional) {
      target->kind = std::string(text);
      target->target.clear();
      return "";
    }
  if (eq == std::string_view::npos || eq == 0 || eq + 1 == text.size())
    return "--out expects KIND=FILE, got '" + std::string(text) + "' (kinds: " + known + ")";
  std::string_view kind = text.substr(0, eq);
  if (!find_output_kind(kind))
    return "--out: unknown kind '" + std::string(kind) + "' (kinds: " + known + ")";
  target->kind = std::string(kind);
  target->target = std::string(text.substr(eq + 1));
  return "";
}

}  // namespace lueng::cli
