// --out csv=FILE: every sample as a CSV row with k6's columns, so spreadsheets
// and scripts written for k6's CSV output read it unchanged.

#include <algorithm>
#include <array>
#include <cstdio>

#include "engine/common/text_format.hpp"
#include "engine/metrics/tags.hpp"
#include "engine/output/csv_output.hpp"
#include "engine/output/file_writer.hpp"

namespace lueng::output {

using result::RunResult;

namespace {

// The tags k6 gives a column of their own, in its column order; every other tag
// goes to extra_tags as key=value&key=value.
constexpr std::array<std::string_view, 14> kTagColumns = {
    "check",       "error", "error_code", "expected_response", "group",  "method",
    "name",        "proto", "scenario",   "service",           "status", "subproto",
    "tls_version", "url"};

constexpr std::string_view kHeader =
    "metric_name,timestamp,metric_value,check,error,error_code,expected_response,group,method,"
    "name,proto,scenario,service,status,subproto,tls_version,url,extra_tags,metadata\n";

// The columns after metric_value, rendered once per tag set.
std::string render_tag_columns(std::string_view encoded) {
  std::array<std::string_view, kTagColumns.size()> columns{};
  std::string extra;
  metrics::for_each_tag(encoded, [&](std::string_view key, std::string_view value) {
    auto it = std::find(kTagColumns.begin(), kTagColumns.end(), key);
    if (it != kTagColumns.end()) {
      columns[static_cast<size_t>(it - kTagColumns.begin())] = value;
      return;
    }
    if (!extra.empty()) extra += '&';
    extra.append(key).append("=").append(value);
  });
  std::string out;
  for (std::string_view value : columns) {
    out += ',';
    append_csv_field(out, value);
  }
  out += ',';
  append_csv_field(out, extra);
  out += ",\n";  // metadata: lueng attaches none
  return out;
}

class CsvOutput : public Output {
 public:
  explicit CsvOutput(std::unique_ptr<FileWriter> file) : file_(std::move(file)) {
    file_->buffer() += kHeader;
  }

  bool streams_samples() const override { return true; }

  void add_sample(const Sample& sample) override {
    if (!sample.rendered_tags.ready) {
      sample.rendered_tags.text = render_tag_columns(sample.tags);
      sample.rendered_tags.ready = true;
    }
    std::string& out = file_->buffer();
    out += sample.def.name;
    char number[48];
    // k6 writes whole Unix seconds and six decimals.
    int64_t seconds = sample.unix_ns / 1'000'000'000;
    int n = std::snprintf(number, sizeof number, ",%lld,%f", static_cast<long long>(seconds),
                          sample.value);
    out.append(number, static_cast<size_t>(std::clamp(n, 0, static_cast<int>(sizeof number) - 1)));
    out += sample.rendered_tags.text;
    file_->flush_if_full();
  }

  std::string finish(const RunResult&) override { return file_->close(); }

 private:
  std::unique_ptr<FileWriter> file_;
};

}  // namespace

std::unique_ptr<Output> open_csv_output(const std::string& path, std::string* error) {
  auto file = FileWriter::open(path, error);
  if (!file) return nullptr;
  return std::make_unique<CsvOutput>(std::move(file));
}

}  // namespace lueng::output
