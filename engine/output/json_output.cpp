// --out json=FILE: every sample as a JSON line in k6's shape, so tools written
// for k6's JSON output read it unchanged.

#include <algorithm>
#include <map>
#include <vector>

#include "engine/common/text.hpp"
#include "engine/common/text_format.hpp"
#include "engine/metrics/tags.hpp"
#include "engine/output/file_writer.hpp"
#include "engine/output/json_output.hpp"

namespace lueng::output {

using result::RunResult;

namespace {

// k6's "contains": what a metric's values are.
const char* contains(const metrics::MetricDef& def) {
  if (def.is_time) return "time";
  if (def.name == "data_sent" || def.name == "data_received") return "data";
  return "default";
}

// A sub-metric as k6 describes it: `name` is the metric and `suffix` in braces,
// `suffix` the selector's tags as written, `tags` what they select.
struct Submetric {
  std::string suffix;
  std::vector<std::pair<std::string, std::string>> tags;  // sorted by name
  std::string filter;                                     // canonical, to spot repeats
};

// What the thresholds declare about one metric: k6's "thresholds" are the
// expressions on the metric itself; a sub-metric's own expressions are listed
// nowhere, the sub-metric only under "submetrics".
struct Declared {
  std::vector<std::string> thresholds;
  std::vector<Submetric> submetrics;
};

void add_submetric(Declared& declared, const thresholds::Selector& selector) {
  for (const auto& known : declared.submetrics)
    if (known.filter == selector.filter) return;
  std::string_view text = selector.text;
  size_t open = text.find('{'), close = text.rfind('}');
  Submetric sub;
  sub.suffix = std::string(trim_whitespace(text.substr(open + 1, close - open - 1)));
  sub.tags = selector.tags;
  std::stable_sort(sub.tags.begin(), sub.tags.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  sub.filter = selector.filter;
  declared.submetrics.push_back(std::move(sub));
}

// k6 always has http_req_duration{expected_response:true}, for its summary.
void add_builtin_submetrics(const std::string& metric, Declared& declared) {
  if (metric != "http_req_duration") return;
  thresholds::Selector selector;
  selector.text = "http_req_duration{expected_response:true}";
  selector.metric = metric;
  selector.tags = {{"expected_response", "true"}};
  selector.filter = metrics::encode_tags(selector.tags);
  add_submetric(declared, selector);
}

void append_declared(std::string& out, const std::string& metric, const Declared& declared) {
  out += R"("thresholds":[)";
  for (size_t i = 0; i < declared.thresholds.size(); ++i) {
    if (i) out += ',';
    append_json_string(out, declared.thresholds[i]);
  }
  out += R"(],"submetrics":)";
  if (declared.submetrics.empty()) {
    out += "null";
    return;
  }
  out += '[';
  for (size_t i = 0; i < declared.submetrics.size(); ++i) {
    const Submetric& sub = declared.submetrics[i];
    if (i) out += ',';
    out += R"({"name":)";
    append_json_string(out, metric + "{" + sub.suffix + "}");
    out += R"(,"suffix":)";
    append_json_string(out, sub.suffix);
    out += R"(,"tags":{)";
    for (size_t t = 0; t < sub.tags.size(); ++t) {
      if (t) out += ',';
      append_json_string(out, sub.tags[t].first);
      out += ':';
      append_json_string(out, sub.tags[t].second);
    }
    out += "}}";
  }
  out += ']';
}

class JsonOutput : public Output {
 public:
  explicit JsonOutput(std::unique_ptr<FileWriter> file) : file_(std::move(file)) {}

  bool streams_samples() const override { return true; }

  void set_thresholds(const std::vector<thresholds::SloDefinition>& slos) override {
    for (const auto& slo : slos) {
      Declared& declared = declared_[slo.selector.metric];
      if (slo.selector.filter.empty()) {
        declared.thresholds.push_back(slo.threshold.text);
      } else {
        add_submetric(declared, slo.selector);
      }
    }
  }

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
      out += R"(",)";
      Declared& declared = declared_[sample.def.name];
      add_builtin_submetrics(sample.def.name, declared);
      append_declared(out, sample.def.name, declared);
      out += R"(},"metric":)";
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
  std::vector<bool> announced_;                            // [metric id]
  std::map<std::string, Declared, std::less<>> declared_;  // by metric name
};

}  // namespace

std::unique_ptr<Output> open_json_output(const std::string& path, std::string* error) {
  auto file = FileWriter::open(path, error);
  if (!file) return nullptr;
  return std::make_unique<JsonOutput>(std::move(file));
}

}  // namespace lueng::output
