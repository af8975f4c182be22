// k6's summary export (k6 --summary-export=FILE; internal/js/summary-wrapper.js,
// oldJSONSummary): {"root_group": {...}, "metrics": {"name": {values...,
// "thresholds": {"source": failed}}}}. The export has no metric types, tag sets or
// time series: types are told from the values each metric lists (a rate has
// passes and fails, a counter count and rate, a gauge value, min and max, a trend
// its summaryTrendStats), and SLOs read the listed values as k6 computed them.

#include <cmath>
#include <cstdlib>
#include <optional>

#include <fmt/format.h>
#include <rapidjson/document.h>

#include "engine/common/json_parse.hpp"
#include "engine/result/k6_results.hpp"
#include "engine/result/result_reader.hpp"
#include "engine/thresholds/definitions.hpp"
#include "engine/thresholds/evaluate.hpp"
#include "engine/thresholds/selector.hpp"

namespace lueng::result {

namespace {

using metrics::Aggregate;
using metrics::MetricDef;
using metrics::MetricType;
using Value = rapidjson::Value;
using Stats = std::map<std::string, double>;

MetricType type_of(const std::string& name, const Stats& stats) {
  static const metrics::MetricCatalog builtins;
  if (auto id = builtins.find(name)) return builtins.def(*id).type;
  if (stats.count("passes") && stats.count("fails")) return MetricType::kRate;
  if (stats.count("rate")) return MetricType::kCounter;
  if (stats.count("value") && !stats.count("avg") && !stats.count("med")) return MetricType::kGauge;
  return MetricType::kTrend;
}

double stat(const Stats& stats, const char* name) {
  auto it = stats.find(name);
  return it == stats.end() ? 0 : it->second;
}

// A count from the file, which may hold any number: 0 unless whole-sized and >= 0
// (a double beyond 2^64 converted to an integer is undefined behaviour).
uint64_t count_of(double value) {
  return value >= 0 && value < 1e18 ? static_cast<uint64_t>(value) : 0;
}

Aggregate aggregate_of(MetricType type, const Stats& stats) {
  Aggregate a;
  switch (type) {
    case MetricType::kCounter:
      a.count = 1;
      a.sum = stat(stats, "count");
      break;
    case MetricType::kRate: {
      double passes = std::max(stat(stats, "passes"), 0.0),
             fails = std::max(stat(stats, "fails"), 0.0);
      if (!(passes + fails < 1e18)) passes = fails = 0;
      a.nonzero = static_cast<uint64_t>(passes);
      a.count = static_cast<uint64_t>(passes) + static_cast<uint64_t>(fails);
      break;
    }
    case MetricType::kGauge:
      a.count = 1;
      a.last = stat(stats, "value");
      a.min = stats.count("min") ? stat(stats, "min") : a.last;
      a.max = stats.count("max") ? stat(stats, "max") : a.last;
      break;
    case MetricType::kTrend: {
      double count = stats.count("count") ? stat(stats, "count") : 1;
      if (!(count >= 0 && count < 1e18)) count = 1;
      a.count = static_cast<uint64_t>(count);
      if (a.count)
        a.trend.set_exact(a.count, stat(stats, "avg") * static_cast<double>(a.count),
                          stat(stats, "min"), stat(stats, "max"));
      break;
    }
  }
  return a;
}

// "p(95)" -> 95.
std::optional<double> percentile_of(std::string_view text) {
  if (text.size() < 4 || text.substr(0, 2) != "p(" || text.back() != ')') return std::nullopt;
  std::string number(text.substr(2, text.size() - 3));
  char* end = nullptr;
  double p = std::strtod(number.c_str(), &end);
  if (number.empty() || *end != '\0') return std::nullopt;
  return p;
}

// The statistic of the export an expression reads, nothing when it lists none.
std::optional<double> listed_value(const thresholds::Expression& e, MetricType type,
                                   const Stats& stats) {
  auto find = [&](const char* name) -> std::optional<double> {
    auto it = stats.find(name);
    if (it == stats.end()) return std::nullopt;
    return it->second;
  };
  using thresholds::Aggregation;
  switch (e.aggregation) {
    case Aggregation::kAvg:
      return find("avg");
    case Aggregation::kMin:
      return find("min");
    case Aggregation::kMax:
      return find("max");
    case Aggregation::kMed:
      return find("med");
    case Aggregation::kPercentile:
      for (const auto& [name, value] : stats)
        if (auto p = percentile_of(name); p && *p == e.percentile) return value;
      if (e.percentile == 50) return find("med");
      return std::nullopt;
    case Aggregation::kCount:
      return find("count");
    case Aggregation::kRate:
      return type == MetricType::kRate ? find("value") : find("rate");
    case Aggregation::kValue:
      return find("value");
  }
  return std::nullopt;
}

bool has_samples(MetricType type, const Stats& stats) {
  if (type == MetricType::kRate) return stat(stats, "passes") + stat(stats, "fails") > 0;
  if (type == MetricType::kTrend && stats.count("count")) return stat(stats, "count") > 0;
  return true;
}

const Stats* stats_for(const thresholds::Selector& selector, const K6SummaryValues& values) {
  if (selector.filter.empty()) {
    auto it = values.find(selector.metric);
    return it == values.end() ? nullptr : &it->second;
  }
  for (const auto& [name, stats] : values) {
    std::string error;
    auto listed = thresholds::parse_selector(name, &error);
    if (listed && listed->metric == selector.metric && listed->filter == selector.filter)
      return &stats;
  }
  return nullptr;
}

}  // namespace

K6Summary k6_summary_from_json(std::string_view text, const std::string& name) {
  rapidjson::Document doc;
  JsonParseError error;
  if (!parse_json_bounded(text, doc, &error))
    throw ResultReadError(
        fmt::format("{}: not JSON: {} at byte {}", name, error.what, error.offset));
  auto fail = [&](const std::string& what) { throw ResultReadError(name + ": " + what); };
  if (!doc.IsObject()) fail("not a JSON object");
  const Value& root = doc;  // const iterators: clang finds the others' == ambiguous
  auto metrics_member = root.FindMember("metrics");
  if (metrics_member == root.MemberEnd() || !metrics_member->value.IsObject())
    fail("'metrics' is missing or not an object (not a k6 summary export)");

  K6Summary summary;
  RunResult& result = summary.result;
  result.script = name + " (k6 --summary-export)";
  result.options_json = "null";
  rapidjson::Document thresholds(rapidjson::kObjectType);
  auto& alloc = thresholds.GetAllocator();
  std::map<std::string, MetricDef, std::less<>> defs;
  static const metrics::MetricCatalog builtins;
  for (const auto& member : metrics_member->value.GetObject()) {
    std::string key(member.name.GetString(), member.name.GetStringLength());
    std::string why;
    auto selector = thresholds::parse_selector(key, &why);
    if (!selector) fail(fmt::format("metrics.{}: {}", key, why));
    if (!member.value.IsObject()) fail(fmt::format("metrics.{}: must be an object", key));
    Stats stats;
    for (const auto& value : member.value.GetObject()) {
      std::string stat_name(value.name.GetString(), value.name.GetStringLength());
      if (stat_name == "thresholds") {
        if (!value.value.IsObject())
          fail(fmt::format("metrics.{}.thresholds: must be an object", key));
        Value list(rapidjson::kArrayType);
        for (const auto& source : value.value.GetObject()) {
          list.PushBack(Value(source.name, alloc), alloc);
          if (source.value.IsBool())
            summary.verdicts[{
                key, std::string(source.name.GetString(), source.name.GetStringLength())}] =
                source.value.GetBool();
        }
        if (!list.Empty()) thresholds.AddMember(Value(key.c_str(), alloc), list, alloc);
      } else if (value.value.IsNumber()) {
        stats[stat_name] = value.value.GetDouble();
      } else if (!value.value.IsNull()) {
        fail(fmt::format("metrics.{}.{}: must be a number", key, stat_name));
      }
    }
    auto known = defs.find(selector->metric);
    if (known == defs.end()) {
      MetricDef def{selector->metric, type_of(selector->metric, stats), false};
      if (auto id = builtins.find(def.name)) def.is_time = builtins.def(*id).is_time;
      known = defs.emplace(def.name, def).first;
    }
    const MetricDef& def = known->second;
    Aggregate aggregate = aggregate_of(def.type, stats);
    if (selector->filter.empty()) {
      result.metrics.add(def, "", aggregate);
    } else {
      result.metrics.add_submetric(def, selector->filter, aggregate);
    }
    summary.values[key] = std::move(stats);
  }
  if (thresholds.MemberCount() > 0) {
    auto lookup = [&](std::string_view metric) -> std::optional<MetricDef> {
      if (auto it = defs.find(metric); it != defs.end()) return it->second;
      return std::nullopt;
    };
    add_k6_thresholds(thresholds, lookup, name, "metrics.*.thresholds", result);
  }
  return summary;
}

void add_k6_thresholds(const rapidjson::Value& thresholds, const thresholds::MetricLookup& lookup,
                       const std::string& name, const std::string& where, RunResult& result) {
  std::vector<thresholds::SloDefinition> slos;
  try {
    slos = thresholds::parse_thresholds(thresholds, lookup, name, where,
                                        thresholds::UnknownMetrics::kNoData);
  } catch (const thresholds::ThresholdError& e) {
    throw ResultReadError(e.what());
  }
  for (auto& slo : slos) {
    thresholds::SloResult own;
    own.slo = std::move(slo);
    result.slo.results.push_back(std::move(own));
  }
}

thresholds::SloReport evaluate_on_k6_summary(const std::vector<thresholds::SloDefinition>& slos,
                                             const K6Summary& summary, bool strict,
                                             std::vector<std::string>* missing) {
  const K6SummaryValues& values = summary.values;
  const auto& verdicts = summary.verdicts;
  thresholds::SloReport report;
  report.strict = strict;
  for (const auto& slo : slos) {
    thresholds::SloResult r;
    r.slo = slo;
    const Stats* stats = stats_for(slo.selector, values);
    std::optional<double> value;
    if (stats && slo.window == 0) value = listed_value(slo.threshold, slo.metric.type, *stats);
    std::optional<double> warn_value;
    if (value && slo.warn) warn_value = listed_value(*slo.warn, slo.metric.type, *stats);
    bool has_data = value && (!slo.warn || warn_value) && has_samples(slo.metric.type, *stats);
    if (stats && !has_data && missing && (slo.window || !value || (slo.warn && !warn_value))) {
      std::string what = slo.window
                             ? std::string("no time series for a window")
                             : fmt::format("no '{}' for {} (add it to k6's summaryTrendStats)",
                                           !value ? slo.threshold.aggregation_text()
                                                  : slo.warn->aggregation_text(),
                                           slo.selector.text);
      std::string judged;
      if (auto it = verdicts.find({slo.selector.text, slo.threshold.text}); it != verdicts.end())
        judged = it->second ? "; k6 judged it failed" : "; k6 judged it passed";
      missing->push_back(
          fmt::format("{}: NO DATA: the k6 summary lists {}{}", slo.where, what, judged));
    }
    bool meets = true, meets_warn = true;
    if (has_data) {
      r.value = *value;
      r.samples = slo.metric.type == MetricType::kRate
                      ? count_of(stat(*stats, "passes") + stat(*stats, "fails"))
                  : stats->count("count") && slo.metric.type == MetricType::kTrend
                      ? count_of(stat(*stats, "count"))
                      : 1;
      meets = slo.threshold.holds(r.value);
      if (slo.warn) {
        r.warn_value = warn_value;
        meets_warn = slo.warn->holds(*warn_value);
      }
      if (slo.threshold.bound != 0)
        r.deviation_percent =
            (r.value - slo.threshold.bound) / std::fabs(slo.threshold.bound) * 100;
    }
    r.status = thresholds::slo_status(has_data, meets, meets_warn, slo.priority);
    report.results.push_back(std::move(r));
  }
  thresholds::decide(report);
  return report;
}

ResultSource detect_result_source(std::string_view text) {
  size_t start = text.find_first_not_of(" \t\r\n");
  if (start == std::string_view::npos) return ResultSource::kLueng;
  size_t end = text.find('\n', start);
  std::string_view first =
      text.substr(start, end == std::string_view::npos ? text.npos : end - start);
  rapidjson::Document line;
  JsonParseError error;
  if (parse_json_bounded(first, line, &error) && line.IsObject() && line.HasMember("type") &&
      line["type"].IsString() && line.HasMember("data")) {
    std::string_view type = line["type"].GetString();
    if (type == "Metric" || type == "Point") return ResultSource::kK6Stream;
  }
  if (text.find("\"root_group\"") == std::string_view::npos) return ResultSource::kLueng;
  rapidjson::Document whole;
  if (parse_json_bounded(text, whole, &error) && whole.IsObject() && whole.HasMember("metrics") &&
      whole.HasMember("root_group") && !whole.HasMember("schema"))
    return ResultSource::kK6Summary;
  return ResultSource::kLueng;
}

}  // namespace lueng::result
