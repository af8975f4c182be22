// --out json=FILE: every sample as a JSON line in k6's shape, so tools written
// for k6's JSON output read it unchanged.

#include <algorithm>
#include <cmath>
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
  std::vector<std::string> thresholds;  // each as JSON: the source, or k6's object form
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
    out += declared.thresholds[i];
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

// Go's time.Duration.String() of whole nanoseconds: "10s", "1m30s", "1h0m0s",
// "1.5s", "500ms", "250µs", "0s": how k6 writes delayAbortEval.
std::string go_duration(double seconds) {
  auto ns = static_cast<int64_t>(std::llround(seconds * 1e9));
  if (ns == 0) return "0s";
  std::string sign = ns < 0 ? "-" : "";
  uint64_t u = ns < 0 ? static_cast<uint64_t>(-(ns + 1)) + 1 : static_cast<uint64_t>(ns);
  auto fraction = [](uint64_t value, uint64_t unit) {
    std::string text = std::to_string(value / unit);
    uint64_t rest = value % unit;
    if (rest) {
      std::string digits = std::to_string(unit + rest).substr(1);
      while (digits.back() == '0') digits.pop_back();
      text += "." + digits;
    }
    return text;
  };
  if (u < 1000) return sign + std::to_string(u) + "ns";
  if (u < 1000000) return sign + fraction(u, 1000) + "µs";
  if (u < 1000000000) return sign + fraction(u, 1000000) + "ms";
  uint64_t hours = u / 3600000000000, minutes = u / 60000000000 % 60;
  std::string text = sign;
  if (hours) text += std::to_string(hours) + "h";
  if (hours || minutes) text += std::to_string(minutes) + "m";
  return text + fraction(u % 60000000000, 1000000000) + "s";
}

// A threshold as k6 writes it in a Metric line: its source, or with abortOnFail
// the object {"threshold","abortOnFail","delayAbortEval"} (metrics/thresholds.go,
// thresholdConfig.MarshalJSON), delayAbortEval null when it is not set.
std::string threshold_json(const thresholds::SloDefinition& slo) {
  std::string out;
  if (!slo.abort_on_fail) {
    append_json_string(out, slo.threshold.text);
    return out;
  }
  out += R"({"threshold":)";
  append_json_string(out, slo.threshold.text);
  out += R"(,"abortOnFail":true,"delayAbortEval":)";
  if (slo.delay_abort_eval > 0)
    append_json_string(out, go_duration(slo.delay_abort_eval));
  else
    out += "null";
  out += '}';
  return out;
}

class JsonOutput : public Output {
 public:
  explicit JsonOutput(std::unique_ptr<FileWriter> file) : file_(std::move(file)) {}

  bool streams_samples() const override { return true; }

  void set_thresholds(const std::vector<thresholds::SloDefinition>& slos) override {
    for (const auto& slo : slos) {
      Declared& declared = declared_[slo.selector.metric];
      if (slo.selector.filter.empty()) {
        declared.thresholds.push_back(threshold_json(slo));
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
    // k6's field order (internal/output/json/wrapper.go sampleEnvelope).
    out += R"({"metric":)";
    append_json_string(out, sample.def.name);
    out += R"(,"type":"Point","data":{"time":")";
    append_rfc3339_ns(out, sample.unix_ns);
    // Go's RFC3339Nano, as k6 writes it: no trailing zeros in the fraction.
    out.pop_back();  // 'Z'
    while (out.back() == '0') out.pop_back();
    if (out.back() == '.') out.pop_back();
    out += 'Z';
    out += R"(","value":)";
    append_number(out, sample.value);
    out += R"(,"tags":)";
    out += sample.rendered_tags.text;
    if (!sample.metadata.empty()) {  // k6 leaves the field out when there is none
      out += R"(,"metadata":{)";
      bool first = true;
      metrics::for_each_tag(sample.metadata, [&](std::string_view key, std::string_view value) {
        if (!first) out += ',';
        first = false;
        append_json_string(out, key);
        out += ':';
        append_json_string(out, value);
      });
      out += '}';
    }
    out += "}}\n";
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
