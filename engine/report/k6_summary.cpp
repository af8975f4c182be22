// k6's --summary-export layout, from the result model. What k6 writes there
// (internal/js/summary.go summarizeMetricsToObject, then summary-wrapper.js
// oldJSONSummary): `root_group` with nested `groups` and `checks` objects keyed
// by name, and `metrics` keyed by metric or sub-metric name, each the metric's
// values flattened (a rate's `rate` renamed `value`) plus `thresholds` as
// {source: failed}. JSON.stringify with an indent of 4.

#include "engine/report/k6_summary.hpp"

#include <openssl/evp.h>

#include <cmath>
#include <map>
#include <memory>
#include <optional>
#include <set>

#include <fmt/format.h>

#include "engine/common/json_parse.hpp"
#include "engine/common/text_format.hpp"
#include "engine/metrics/tags.hpp"
#include "engine/metrics/trend_stats.hpp"
#include "engine/result/views.hpp"
#include "engine/thresholds/evaluate.hpp"

namespace lueng::report {

using metrics::Aggregate;
using metrics::MetricType;
using result::RunResult;

namespace {

const std::vector<std::string> kDefaultTrendStats = {"avg", "min", "med", "max", "p(90)", "p(95)"};

// A small pretty printer with JSON.stringify(value, null, 4)'s layout.
class Json {
 public:
  std::string text;
  void open(char bracket) {
    text += bracket;
    ++depth_;
    first_ = true;
  }
  void close(char bracket) {
    --depth_;
    if (!first_) newline();
    text += bracket;
    first_ = false;
  }
  void key(std::string_view name) {
    if (!first_) text += ',';
    newline();
    append_json_string(text, name);
    text += ": ";
    first_ = true;
  }
  void number(double value) {
    // JSON.stringify writes NaN and infinities as null.
    if (std::isfinite(value))
      append_number(text, value);
    else
      text += "null";
    first_ = false;
  }
  void string(std::string_view value) {
    append_json_string(text, value);
    first_ = false;
  }
  void boolean(bool value) {
    text += value ? "true" : "false";
    first_ = false;
  }

 private:
  int depth_ = 0;
  bool first_ = true;
  void newline() {
    text += '\n';
    text.append(static_cast<size_t>(depth_) * 4, ' ');
  }
};

void write_values(Json& out, MetricType type, const Aggregate& a, double seconds,
                  const std::vector<std::string>& trend_stats) {
  switch (type) {
    case MetricType::kCounter:
      out.key("count");
      out.number(a.sum);
      out.key("rate");
      out.number(seconds > 0 ? a.sum / seconds : 0);
      break;
    case MetricType::kGauge:
      out.key("value");
      out.number(a.count ? a.last : 0);
      out.key("min");
      out.number(a.count ? a.min : 0);
      out.key("max");
      out.number(a.count ? a.max : 0);
      break;
    case MetricType::kRate:
      out.key("value");
      out.number(a.rate());
      out.key("passes");
      out.number(static_cast<double>(a.nonzero));
      out.key("fails");
      out.number(static_cast<double>(a.count - a.nonzero));
      break;
    case MetricType::kTrend:
      for (const std::string& stat : trend_stats)
        if (auto value = metrics::trend_stat_value(a.trend, stat)) {
          out.key(stat);
          out.number(*value);
        }
      break;
  }
}

// The name k6 gives a sub-metric: the metric, then what the selector had in braces.
std::string submetric_name(const thresholds::Selector& selector) {
  size_t open = selector.text.find('{');
  if (open == std::string::npos) return selector.metric;
  return selector.metric + selector.text.substr(open);
}

struct Entry {
  const metrics::MetricData* metric = nullptr;
  std::string filter;                                    // "" for the metric itself
  std::vector<std::pair<std::string, bool>> thresholds;  // source, failed
};

std::map<std::string, Entry> metric_entries(const RunResult& result) {
  std::map<std::string, Entry> entries;
  for (const auto& metric : result.metrics.metrics())
    if (metric.total.count > 0) entries[metric.def.name].metric = &metric;
  if (const auto* duration = result.metrics.find("http_req_duration"))
    if (duration->total.count > 0) {
      Entry& expected = entries["http_req_duration{expected_response:true}"];
      expected.metric = duration;
      expected.filter = metrics::encode_tags({{"expected_response", "true"}});
    }
  for (const auto& slo : result.slo.results) {
    const metrics::MetricData* metric = result.metrics.find(slo.slo.selector.metric);
    std::string name = slo.slo.selector.filter.empty() ? slo.slo.selector.metric
                                                       : submetric_name(slo.slo.selector);
    Entry& entry = entries[name];
    entry.filter = slo.slo.selector.filter;
    if (!entry.metric) entry.metric = metric;
    bool failed = thresholds::failure_level(slo, false) > 0;
    bool known = false;
    for (auto& [source, was_failed] : entry.thresholds)
      if (source == slo.slo.threshold.text) {
        was_failed = was_failed || failed;
        known = true;
      }
    if (!known) entry.thresholds.emplace_back(slo.slo.threshold.text, failed);
  }
  return entries;
}

void write_metrics(Json& out, const RunResult& result) {
  std::vector<std::string> trend_stats = summary_trend_stats(result.options_json);
  out.key("metrics");
  out.open('{');
  for (const auto& [name, entry] : metric_entries(result)) {
    out.key(name);
    out.open('{');
    if (entry.metric) {
      Aggregate values = entry.filter.empty()
                             ? entry.metric->total
                             : result.metrics.submetric(*entry.metric, entry.filter);
      write_values(out, entry.metric->def.type, values, result.duration_seconds, trend_stats);
    }
    if (!entry.thresholds.empty()) {
      out.key("thresholds");
      out.open('{');
      for (const auto& [source, failed] : entry.thresholds) {
        out.key(source);
        out.boolean(failed);
      }
      out.close('}');
    }
    out.close('}');
  }
  out.close('}');
}

// A group of k6's tree: its sub-groups and checks in the order they were met.
struct Group {
  std::string name, path;
  std::vector<std::unique_ptr<Group>> groups;
  std::vector<result::CheckStats> checks;

  Group& child(std::string_view child_name) {
    for (auto& group : groups)
      if (group->name == child_name) return *group;
    auto group = std::make_unique<Group>();
    group->name = std::string(child_name);
    group->path = path + "::" + group->name;
    groups.push_back(std::move(group));
    return *groups.back();
  }
  // The group at a path "::a::b", made on the way.
  Group& at(std::string_view group_path) {
    Group* group = this;
    size_t pos = 0;
    while (pos < group_path.size()) {
      size_t start = group_path.compare(pos, 2, "::") == 0 ? pos + 2 : pos;
      size_t end = group_path.find("::", start);
      if (end == std::string_view::npos) end = group_path.size();
      group = &group->child(group_path.substr(start, end - start));
      pos = end;
    }
    return *group;
  }
};

Group group_tree(const RunResult& result) {
  Group root;
  if (const auto* durations = result.metrics.find("group_duration"))
    for (const auto& [tags, aggregate] : durations->by_tags) {
      std::string_view path;
      if (metrics::find_tag(tags, "group", &path)) root.at(path);
    }
  for (auto& check : result::check_stats(result)) root.at(check.group).checks.push_back(check);
  return root;
}

void write_group(Json& out, const Group& group) {
  out.open('{');
  out.key("name");
  out.string(group.name);
  out.key("path");
  out.string(group.path);
  out.key("id");
  out.string(k6_group_id(group.path));
  out.key("groups");
  out.open('{');
  for (const auto& child : group.groups) {
    out.key(child->name);
    write_group(out, *child);
  }
  out.close('}');
  out.key("checks");
  out.open('{');
  for (const auto& check : group.checks) {
    std::string path = group.path + "::" + check.name;
    out.key(check.name);
    out.open('{');
    out.key("name");
    out.string(check.name);
    out.key("path");
    out.string(path);
    out.key("id");
    out.string(k6_group_id(path));
    out.key("passes");
    out.number(static_cast<double>(check.passes));
    out.key("fails");
    out.number(static_cast<double>(check.fails));
    out.close('}');
  }
  out.close('}');
  out.close('}');
}

}  // namespace

std::vector<std::string> summary_trend_stats(std::string_view options_json) {
  rapidjson::Document options;
  JsonParseError error;
  if (!parse_json_bounded(options_json, options, &error) || !options.IsObject())
    return kDefaultTrendStats;
  const rapidjson::Value& object = options;
  auto stats = object.FindMember("summaryTrendStats");
  if (stats == object.MemberEnd() || !stats->value.IsArray()) return kDefaultTrendStats;
  std::vector<std::string> out;
  for (const auto& stat : stats->value.GetArray()) {
    if (!stat.IsString()) return kDefaultTrendStats;
    out.emplace_back(stat.GetString(), stat.GetStringLength());
  }
  return out;
}

std::string k6_group_id(std::string_view path) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  if (EVP_Digest(path.data(), path.size(), digest, &length, EVP_md5(), nullptr) != 1) return "";
  std::string hex;
  for (unsigned int i = 0; i < length; ++i) hex += fmt::format("{:02x}", digest[i]);
  return hex;
}

std::string render_k6_summary(const RunResult& result) {
  Json out;
  out.open('{');
  out.key("root_group");
  write_group(out, group_tree(result));
  write_metrics(out, result);
  out.close('}');
  return out.text;  // no newline after it, as k6 writes the file
}

}  // namespace lueng::report
