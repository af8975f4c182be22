// --out csv: every sample as a CSV row with k6's columns, so spreadsheets and
// scripts written for k6's CSV output read it unchanged.

#include "engine/output/csv_output.hpp"

#include <algorithm>
#include <cstdio>

#include "engine/common/text_format.hpp"
#include "engine/metrics/tags.hpp"
#include "engine/output/file_writer.hpp"

namespace lueng::output {

using result::RunResult;

namespace {

bool listed(const std::vector<std::string>& list, std::string_view key) {
  return std::find(list.begin(), list.end(), key) != list.end();
}

class CsvOutput : public Output {
 public:
  CsvOutput(std::unique_ptr<FileWriter> file, CsvConfig config, std::vector<std::string> columns,
            std::vector<std::string> ignored)
      : file_(std::move(file)),
        config_(config),
        columns_(std::move(columns)),
        ignored_(std::move(ignored)),
        save_interval_ns_(static_cast<int64_t>(config.save_interval_seconds * 1e9)) {}

  // k6's columns are the system tags the run sets, but vu and iter (which k6
  // keeps as metadata), in name order.
  void set_system_tags(const std::vector<std::string>& names) override {
    columns_.clear();
    for (const std::string& name : names)
      if (name != "vu" && name != "iter") columns_.push_back(name);
    std::sort(columns_.begin(), columns_.end());
  }

  bool streams_samples() const override { return true; }

  void add_sample(const Sample& sample) override {
    write_header();
    if (!sample.rendered_tags.ready) {
      sample.rendered_tags.text = csv_tag_columns(sample.tags, columns_, ignored_);
      sample.rendered_tags.ready = true;
    }
    std::string& out = file_->buffer();
    out += sample.def.name;
    out += ',';
    append_csv_time(out, sample.unix_ns, config_.time_format);
    char number[40];
    // k6 writes the value with six decimals (Go's %f).
    int n = std::snprintf(number, sizeof number, ",%f", sample.value);
    out.append(number, static_cast<size_t>(std::clamp(n, 0, static_cast<int>(sizeof number) - 1)));
    out += sample.rendered_tags.text;
    if (!sample.metadata.empty()) {
      out.pop_back();  // the newline after the empty metadata column
      append_csv_field(out, csv_metadata(sample.metadata, columns_, ignored_));
      out += '\n';
    }
    file_->flush_if_full();
    if (first_unflushed_ns_ == 0) first_unflushed_ns_ = sample.unix_ns;
  }

  // Rows wait at most saveInterval before they reach the file.
  void tick(int64_t unix_ns) override {
    if (first_unflushed_ns_ != 0 && unix_ns - first_unflushed_ns_ >= save_interval_ns_) {
      file_->flush();
      first_unflushed_ns_ = 0;
    }
  }

  std::string finish(const RunResult&) override {
    write_header();  // a run without a sample still leaves k6's header
    return file_->close();
  }

 private:
  // Once the columns are known: at the first sample.
  void write_header() {
    if (header_written_) return;
    file_->buffer() += csv_header(columns_);
    header_written_ = true;
  }

  std::unique_ptr<FileWriter> file_;
  bool header_written_ = false;
  CsvConfig config_;
  std::vector<std::string> columns_, ignored_;
  int64_t save_interval_ns_;
  int64_t first_unflushed_ns_ = 0;  // the oldest row not written yet, 0 when none
};

}  // namespace

const std::vector<std::string>& default_csv_columns() {
  static const std::vector<std::string> columns = {
      "check",       "error", "error_code", "expected_response", "group",  "method",
      "name",        "proto", "scenario",   "service",           "status", "subproto",
      "tls_version", "url"};
  return columns;
}

std::string csv_header(const std::vector<std::string>& columns) {
  std::string out = "metric_name,timestamp,metric_value";
  for (const std::string& column : columns) {
    out += ',';
    append_csv_field(out, column);
  }
  return out + ",extra_tags,metadata\n";
}

std::string csv_tag_columns(std::string_view encoded, const std::vector<std::string>& columns,
                            const std::vector<std::string>& ignored) {
  std::vector<std::string_view> values(columns.size());
  std::string extra;
  metrics::for_each_tag(encoded, [&](std::string_view key, std::string_view value) {
    auto it = std::find(columns.begin(), columns.end(), key);
    if (it != columns.end()) {
      values[static_cast<size_t>(it - columns.begin())] = value;
      return;
    }
    if (listed(ignored, key)) return;
    if (!extra.empty()) extra += '&';
    extra.append(key).append("=").append(value);
  });
  std::string out;
  for (std::string_view value : values) {
    out += ',';
    append_csv_field(out, value);
  }
  out += ',';
  append_csv_field(out, extra);
  out += ",\n";  // metadata: filled per sample (add_sample) when it has some
  return out;
}

std::string csv_metadata(std::string_view encoded, const std::vector<std::string>& columns,
                         const std::vector<std::string>& ignored) {
  std::string out;
  metrics::for_each_tag(encoded, [&](std::string_view key, std::string_view value) {
    // As k6: a key that names a tag column or an ignored tag is left out here too.
    if (listed(columns, key) || listed(ignored, key)) return;
    if (!out.empty()) out += '&';
    out.append(key).append("=").append(value);
  });
  return out;
}

std::unique_ptr<Output> open_csv_output(const std::string& argument, const Environment& env,
                                        std::vector<std::string> columns,
                                        std::vector<std::string> ignored, std::string* error) {
  CsvConfig config;
  if (std::string problem = read_csv_config(argument, env, &config); !problem.empty()) {
    *error = problem;
    return nullptr;
  }
  std::string path = config.file_name.empty() ? "-" : config.file_name;
  auto file = FileWriter::open(path, error);
  if (!file) return nullptr;
  return std::make_unique<CsvOutput>(std::move(file), config, std::move(columns),
                                     std::move(ignored));
}

std::unique_ptr<Output> open_csv_output(const std::string& argument, std::string* error) {
  return open_csv_output(argument, process_environment(), default_csv_columns(), {}, error);
}

}  // namespace lueng::output
