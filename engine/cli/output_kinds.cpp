#include "engine/cli/output_kinds.hpp"

#include <sys/stat.h>

#include <filesystem>
#include <system_error>

#include <fmt/format.h>

#include "engine/output/csv_config.hpp"
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

std::vector<std::string> locust_files(const std::string& prefix) {
  std::vector<std::string> files;
  for (const LocustFile& file : kLocustFiles) files.push_back(prefix + file.suffix);
  return files;
}

// json=- streams to standard output (output/file_writer.hpp), no file.
std::vector<std::string> json_files(const std::string& path) {
  if (path == "-") return {};
  return {path};
}

// csv, csv=FILE or csv=fileName=FILE,...: the file the CSV output opens, after
// K6_CSV_FILENAME (output/csv_config.hpp). A bad argument names no file: open()
// reports it.
std::vector<std::string> csv_files(const std::string& argument) {
  output::CsvConfig config;
  if (!output::read_csv_config(argument, output::process_environment(), &config).empty()) return {};
  return json_files(config.file_name.empty() ? "-" : config.file_name);
}

std::vector<std::string> no_files(const std::string&) {
  return {};
}

// Where a path leads: absolute and normalised, and the file's identity when it
// exists; `file` is false for what is written in place (a device, a FIFO) and
// for a directory (opening it fails and says so).
struct FileIdentity {
  std::string path;
  bool file = true;
  bool exists = false;
  dev_t device = 0;
  ino_t inode = 0;
};

FileIdentity identify(const std::string& path) {
  FileIdentity identity;
  std::error_code error;
  std::filesystem::path absolute = std::filesystem::absolute(path, error);
  if (error) absolute = path;
  std::filesystem::path normal = std::filesystem::weakly_canonical(absolute, error);
  identity.path = (error ? absolute.lexically_normal() : normal).string();
  struct stat st;
  if (stat(path.c_str(), &st) == 0) {
    identity.file = S_ISREG(st.st_mode);
    identity.exists = true;
    identity.device = st.st_dev;
    identity.inode = st.st_ino;
  }
  return identity;
}

}  // namespace

const std::vector<OutputKind>& output_kinds() {
  static const std::vector<OutputKind> kinds = {
      {"json", "JSON lines of every sample as the run goes, k6's format (FILE.gz: gzip)",
       open_json_output, false, false, json_files},
      {"csv",
       "CSV rows of every sample as the run goes, k6's columns (csv[=FILE] or "
       "csv=fileName=F,timeFormat=unix|rfc3339|...,saveInterval=1s; FILE.gz: gzip)",
       open_csv_output, false, true, csv_files},
      {"locust", "Locust's PREFIX_stats.csv, _stats_history.csv and _failures.csv, at the end",
       open_locust, false, false, locust_files},
      {"html", "self-contained HTML report with charts, at the end of the run", open_html, true},
      {"markdown", "Markdown report for a pull-request comment, at the end of the run",
       open_markdown, true},
      {"junit", "JUnit XML: a test case per SLO and per check, at the end of the run", open_junit,
       true},
      {"prometheus-rw",
       "Prometheus remote write as the run goes, k6's naming (=URL, default "
       "http://127.0.0.1:9090/api/v1/write; docs/outputs.md)",
       output::open_prometheus_rw_output, false, true, no_files},
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

std::vector<std::string> output_files(const OutputTarget& target) {
  const OutputKind* kind = find_output_kind(target.kind);
  if (kind && kind->files) return kind->files(target.target);
  return {target.target};
}

std::string same_file_problem(const std::vector<OutputFile>& files) {
  std::vector<FileIdentity> identities;
  for (const OutputFile& file : files) identities.push_back(identify(file.path));
  for (size_t i = 0; i < files.size(); ++i)
    for (size_t j = 0; j < i; ++j) {
      const FileIdentity& one = identities[j];
      const FileIdentity& other = identities[i];
      if (!one.file || !other.file) continue;
      if (one.path == other.path ||
          (one.exists && other.exists && one.device == other.device && one.inode == other.inode))
        return fmt::format("{} and {} both write {}: give each output a file of its own",
                           files[j].flag, files[i].flag, one.path);
    }
  return "";
}

}  // namespace lueng::cli
