// k6's JSON stream (k6 --out json=FILE, internal/output/json): one object a line,
// a {"type":"Metric","data":{name,type,contains,thresholds,submetrics},"metric"}
// before the first {"type":"Point","data":{time,value,tags},"metric"} of each
// metric. Read into the result model so that lueng's SLOs, tiers and reports
// apply to a k6 run.

#include <algorithm>
#include <cmath>
#include <map>
#include <optional>

#include <fmt/format.h>
#include <rapidjson/document.h>

#include "engine/common/json_parse.hpp"
#include "engine/common/utc_time.hpp"
#include "engine/metrics/tags.hpp"
#include "engine/result/k6_results.hpp"
#include "engine/result/result_reader.hpp"
#include "engine/thresholds/definitions.hpp"

namespace lueng::result {

namespace {

using metrics::Aggregate;
using metrics::MetricDef;
using metrics::MetricType;
using Value = rapidjson::Value;

// One second of the stream, as the result model's time series counts it.
struct Second {
  IntervalCounts counts;
  metrics::Histogram duration;
  std::optional<double> vus, vus_max;
};

// The longest run the reader takes: a week, longer than any soak test.
constexpr int64_t kLongestRunMs = int64_t{7} * 24 * 3600 * 1000;

struct Metric {
  MetricDef def;
  std::map<std::string, Aggregate, std::less<>> by_tags;
};

class StreamReader {
 public:
  explicit StreamReader(const std::string& name) : name_(name) {}

  RunResult read(std::string_view text) {
    size_t pos = 0;
    while (pos < text.size()) {
      size_t end = text.find('\n', pos);
      if (end == std::string_view::npos) end = text.size();
      ++line_;
      std::string_view line = text.substr(pos, end - pos);
      if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
      if (line.find_first_not_of(" \t") != std::string_view::npos) read_line(line);
      pos = end + 1;
    }
    if (metrics_.empty()) fail("no k6 Metric or Point line");
    // The per-second series spans the run: points further apart than any run
    // are not one run's (and would make a series of millions of seconds).
    if (any_point_ && last_ms_ - first_ms_ > kLongestRunMs)
      throw ResultReadError(
          fmt::format("{}: the points span {} days, more than one k6 run (at most {} days)", name_,
                      (last_ms_ - first_ms_) / 86400000, kLongestRunMs / 86400000));
    return result();
  }

 private:
  const std::string& name_;
  size_t line_ = 0;
  std::vector<Metric> metrics_;
  std::map<std::string, size_t, std::less<>> index_;  // name -> metrics_
  rapidjson::Document thresholds_{rapidjson::kObjectType};
  std::map<int64_t, Second> seconds_;  // by Unix second
  int64_t first_ms_ = 0, last_ms_ = 0;
  bool any_point_ = false;

  [[noreturn]] void fail(const std::string& what) const {
    throw ResultReadError(fmt::format("{}: line {}: {}", name_, line_, what));
  }

  const Value& member(const Value& object, const char* key) const {
    auto it = object.FindMember(key);
    if (it == object.MemberEnd()) fail(fmt::format("'{}' is missing", key));
    return it->value;
  }
  std::string string(const Value& object, const char* key) const {
    const Value& value = member(object, key);
    if (!value.IsString()) fail(fmt::format("'{}' must be a string", key));
    return {value.GetString(), value.GetStringLength()};
  }

  void read_line(std::string_view line) {
    rapidjson::Document doc;
    JsonParseError error;
    if (!parse_json_bounded(line, doc, &error))
      fail(fmt::format("not JSON: {} at column {}", error.what, error.offset + 1));
    if (!doc.IsObject()) fail("not a JSON object");
    std::string type = string(doc, "type");
    const Value& data = member(doc, "data");
    if (!data.IsObject()) fail("'data' must be an object");
    if (type == "Metric")
      read_metric(data);
    else if (type == "Point")
      read_point(string(doc, "metric"), data);
    else
      fail(fmt::format("type '{}' is neither Metric nor Point", type));
  }

  void read_metric(const Value& data) {
    std::string name = string(data, "name");
    if (!metrics::is_valid_metric_name(name)) fail(fmt::format("'{}' is no metric name", name));
    auto type = metrics::parse_metric_type(string(data, "type"));
    if (!type) fail(fmt::format("metric '{}': unknown type", name));
    auto data_contains = data.FindMember("contains");
    bool is_time = data_contains != data.MemberEnd() && data_contains->value.IsString() &&
                   std::string_view(data_contains->value.GetString()) == "time";
    if (auto known = index_.find(name); known != index_.end()) {
      if (metrics_[known->second].def.type != *type)
        fail(fmt::format("metric '{}' declared again with another type", name));
      return;
    }
    index_.emplace(name, metrics_.size());
    metrics_.push_back({{name, *type, is_time}, {}});
    auto declared = data.FindMember("thresholds");
    if (declared == data.MemberEnd() || declared->value.IsNull()) return;
    if (!declared->value.IsArray())
      fail(fmt::format("metric '{}': thresholds must be a list", name));
    if (declared->value.Empty()) return;
    // k6 writes a threshold as its source, or with abortOnFail as
    // {"threshold","abortOnFail","delayAbortEval"}: both are entries lueng reads.
    Value list(rapidjson::kArrayType);
    auto& alloc = thresholds_.GetAllocator();
    for (const Value& entry : declared->value.GetArray()) {
      Value copy(entry, alloc);
      if (copy.IsObject() && copy.HasMember("delayAbortEval") && copy["delayAbortEval"].IsNull())
        copy.RemoveMember("delayAbortEval");
      list.PushBack(copy, alloc);
    }
    thresholds_.AddMember(Value(name.c_str(), alloc), list, alloc);
  }

  void read_point(const std::string& name, const Value& data) {
    auto known = index_.find(name);
    if (known == index_.end()) fail(fmt::format("a Point of '{}' before its Metric line", name));
    Metric& metric = metrics_[known->second];
    const Value& value = member(data, "value");
    if (!value.IsNumber()) fail("'value' must be a number");
    double number = value.GetDouble();
    std::string time = string(data, "time");
    std::optional<int64_t> ms = parse_instant_ms(time);
    if (!ms) fail(fmt::format("time '{}' is not RFC 3339", time));
    std::vector<std::pair<std::string, std::string>> tags;
    auto tag_object = data.FindMember("tags");
    if (tag_object != data.MemberEnd() && !tag_object->value.IsNull()) {
      if (!tag_object->value.IsObject()) fail("'tags' must be an object");
      for (const auto& tag : tag_object->value.GetObject()) {
        if (!tag.value.IsString()) fail("a tag value must be a string");
        tags.emplace_back(std::string(tag.name.GetString(), tag.name.GetStringLength()),
                          std::string(tag.value.GetString(), tag.value.GetStringLength()));
      }
    }
    std::string encoded = metrics::encode_tags(tags);
    auto it = metric.by_tags.find(encoded);
    if (it == metric.by_tags.end()) it = metric.by_tags.emplace(encoded, Aggregate{}).first;
    it->second.add(metric.def.type, number,
                   static_cast<uint64_t>(std::max<int64_t>(*ms, 0)) * 1000000);
    if (!any_point_ || *ms < first_ms_) first_ms_ = *ms;
    if (!any_point_ || *ms > last_ms_) last_ms_ = *ms;
    any_point_ = true;
    count_second(metric.def.name, number, *ms >= 0 ? *ms / 1000 : (*ms - 999) / 1000);
  }

  void count_second(const std::string& metric, double value, int64_t unix_second) {
    Second& s = seconds_[unix_second];
    if (metric == "http_reqs") {
      s.counts.requests += static_cast<uint64_t>(std::max(value, 0.0));
    } else if (metric == "http_req_failed") {
      if (value != 0) ++s.counts.failed;
    } else if (metric == "iterations") {
      s.counts.iterations += static_cast<uint64_t>(std::max(value, 0.0));
    } else if (metric == "checks") {
      ++(value != 0 ? s.counts.checks_passed : s.counts.checks_failed);
    } else if (metric == "data_sent") {
      s.counts.data_sent += value;
    } else if (metric == "data_received") {
      s.counts.data_received += value;
    } else if (metric == "dropped_iterations") {
      s.counts.dropped += static_cast<uint64_t>(std::max(value, 0.0));
    } else if (metric == "http_req_duration") {
      s.duration.add(value);
    } else if (metric == "vus") {
      s.vus = value;
    } else if (metric == "vus_max") {
      s.vus_max = value;
    }
  }

  std::vector<TimePoint> series() const {
    std::vector<TimePoint> out;
    if (!any_point_) return out;
    int64_t first = first_ms_ / 1000, last = last_ms_ / 1000;
    double vus = 0, vus_max = 0;
    metrics::Histogram window[10];
    for (int64_t second = first; second <= last; ++second) {
      TimePoint p;
      p.second = second - first;
      window[p.second % 10].clear();
      if (auto it = seconds_.find(second); it != seconds_.end()) {
        const Second& s = it->second;
        static_cast<IntervalCounts&>(p) = s.counts;
        if (s.vus) vus = *s.vus;
        if (s.vus_max) vus_max = *s.vus_max;
        const metrics::Histogram& d = s.duration;
        if (d.count()) {
          p.duration_avg = d.mean();
          p.duration_p50 = d.percentile(50);
          p.duration_p90 = d.percentile(90);
          p.duration_p95 = d.percentile(95);
          p.duration_p99 = d.percentile(99);
          p.duration_max = d.max();
        }
        window[p.second % 10] = d;
      }
      // Long quiet stretches cost no merging.
      bool quiet = true;
      for (const auto& h : window) quiet = quiet && h.count() == 0;
      if (!quiet) {
        metrics::Histogram last_ten;
        for (const auto& h : window) last_ten.merge(h);
        p.window_p95 = last_ten.percentile(95);
        p.window_requests = last_ten.count();
      }
      p.vus = vus;
      p.vus_max = std::max(vus_max, vus);
      out.push_back(p);
    }
    return out;
  }

  RunResult result() {
    RunResult result;
    result.script = name_ + " (k6 --out json)";
    result.options_json = "null";
    result.start_unix_ms = first_ms_;
    result.end_unix_ms = last_ms_;
    result.duration_seconds = static_cast<double>(last_ms_ - first_ms_) / 1000.0;
    std::map<std::string, bool> scenarios;
    for (const Metric& metric : metrics_) {
      for (const auto& [tags, aggregate] : metric.by_tags) {
        result.metrics.add(metric.def, tags, aggregate);
        std::string_view scenario;
        if (metrics::find_tag(tags, "scenario", &scenario)) scenarios[std::string(scenario)] = true;
        if (metric.def.name == "vus_max" && aggregate.count)
          result.max_vus =
              std::max(result.max_vus, static_cast<uint64_t>(std::max(aggregate.max, 0.0)));
      }
    }
    for (const auto& [scenario, seen] : scenarios) {
      ScenarioSummary summary;
      summary.name = scenario;
      result.scenarios.push_back(summary);
    }
    result.time_series = series();
    if (thresholds_.MemberCount() > 0) {
      auto lookup = [&](std::string_view name) -> std::optional<MetricDef> {
        // Declared by a Metric line, also one without a point (its SLOs are NO DATA).
        if (auto it = index_.find(name); it != index_.end()) return metrics_[it->second].def;
        return std::nullopt;
      };
      add_k6_thresholds(thresholds_, lookup, name_, "thresholds", result);
    }
    return result;
  }
};

}  // namespace

RunResult result_from_k6_stream(std::string_view text, const std::string& name) {
  return StreamReader(name).read(text);
}

}  // namespace lueng::result
