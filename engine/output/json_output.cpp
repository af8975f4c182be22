// --out json=FILE: every sample as a JSON line in k6's shape, so tools written
// for k6's JSON output read it unchanged.

#include <vector>

#include "engine/metrics/tags.hpp"
#include "engine/output/file_writer.hpp"
#include "engine/output/json_output.hpp"
#include "engine/output/text_format.hpp"

namespace lueng::output {

namespace {

// k6's "contains": what a metric's values are.
const char* contains(const metrics::MetricDef& def) {
  if (def.is_time) return "time";
  if (def.name == "data_sent" || def.name == "data_received") return "data";
  return "default";
}

class JsonOutput : public Output {
 public:
  explicit JsonOutput(std::unique_ptr<FileWriter> file) : file_(std::move(file)) {}

  bool streams_samples() const override { return true; }

  void add_sample(const Sample& sample) override {
    std::string& out = file_->buffer();
    if (sample.metric >= announced_.size()) announced_.resize(sample.metric + 1, false);
    if (!announced_[sample.metric]) {
      // A metric is described once, before its first point.
      announced_[sample.metric] = true;
      out += R"({"type":"Metric","data":{"name":)";
      append_json_string(out, sample.def.name);
      out += R"(,"type":")";
      out += metrics::metric_type_name(sample.def.type);
      out += R"(","contains":")";
      out += contains(sample.def);
      out += R"(","thresholds":[],"submetrics":null},"metric":)";
      append_json_string(out, sample.def.name);
      out += "}\n";
    }
    if (!sample.rendered_tags.ready) {
      std::string& tags = sample.rendered_tags.text;
      tags = "{";
      metrics::for_each_tag(sample.tags, [&](std::string_view key, std::string_view value) {
        if (tags.size() > 1) tags += ',';
        append_json_string(tags, key);
        tags += ':';
        append_json_string(tags, value);
      });
      tags += '}';
      sample.rendered_tags.ready = true;
    }
    out += R"({"type":"Point","data":{"time":")";
    append_rfc3339_ns(out, sample.unix_ns);
    out += R"(","value":)";
    append_number(out, sample.value);
    out += R"(,"tags":)";
    out += sample.rendered_tags.text;
    out += R"(},"metric":)";
    append_json_string(out, sample.def.name);
    out += "}\n";
    file_->flush_if_full();
  }

  std::string finish(const RunResult&) override { return file_->close(); }

 private:
  std::unique_ptr<FileWriter> file_;
  std::vector<bool> announced_;  // [metric id]
};

}  // namespace

std::unique_ptr<Output> open_json_output(const std::string& path, std::string* error) {
  auto file = FileWriter::open(path, error);
  if (!file) return nullptr;
  return std::make_unique<JsonOutput>(std::move(file));
}

}  // namespace lueng::output
