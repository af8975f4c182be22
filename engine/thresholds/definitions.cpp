#include "engine/thresholds/definitions.hpp"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "engine/common/duration.hpp"
#include "engine/thresholds/windows.hpp"

namespace lueng::thresholds {

namespace {

struct Context {
  const std::string& file;
  std::string where;

  [[noreturn]] void fail(const std::string& what) const {
    throw ThresholdError(fmt::format("{}: {}: {}", file, where, what));
  }
};

// `typed`: the metric's type is known, so the aggregation is checked against it
// here (else once type_absent_metrics() has given it one).
Expression expression_at(const rapidjson::Value& value, const SloDefinition& slo, const Context& at,
                         bool typed) {
  if (!value.IsString()) at.fail("must be a threshold expression string such as \"p(95)<3000\"");
  std::string error;
  auto expression = parse_expression(value.GetString(), &error);
  if (!expression) at.fail(error);
  if (typed && !aggregation_applies(expression->aggregation, slo.metric.type))
    at.fail(fmt::format("'{}': {} is a {}, which has {}, not {}", expression->text,
                        slo.selector.metric, metrics::metric_type_name(slo.metric.type),
                        aggregations_of(slo.metric.type), expression->aggregation_text()));
  return *expression;
}

bool bool_at(const rapidjson::Value& value, const Context& at) {
  if (!value.IsBool()) at.fail("must be true or false");
  return value.GetBool();
}

double duration_at(const rapidjson::Value& value, const Context& at) {
  if (value.IsNumber()) {
    if (value.GetDouble() < 0) at.fail("must not be negative");
    return value.GetDouble() / 1000;  // milliseconds, as every duration option
  }
  if (value.IsString()) {
    auto seconds = parse_duration(value.GetString());
    if (!seconds) at.fail(fmt::format("'{}' is not a duration such as \"10s\"", value.GetString()));
    if (*seconds < 0) at.fail("must not be negative");
    return *seconds;
  }
  at.fail("must be a duration such as \"10s\"");
}

// A window longer than any run is a mistake (and past int64_t, undefined to convert).
constexpr double kLongestWindow = 366.0 * 24 * 3600;

// The table form: { "expr", warn = ..., priority = ..., ... }.
void read_entry(const rapidjson::Value& entry, SloDefinition& slo, const Context& at, bool typed) {
  const rapidjson::Value* threshold = nullptr;
  std::optional<std::string> window;  // where the window key is
  for (const auto& member : entry.GetObject()) {
    std::string_view key(member.name.GetString(), member.name.GetStringLength());
    Context field{at.file, at.where + "." + std::string(key)};
    const rapidjson::Value& value = member.value;
    if (key == "1" || key == "threshold") {
      if (threshold) at.fail("has two threshold expressions; list them as separate entries");
      threshold = &value;
    } else if (key == "warn") {
      slo.warn = expression_at(value, slo, field, typed);
    } else if (key == "priority") {
      auto priority = value.IsString() ? parse_priority(value.GetString()) : std::nullopt;
      if (!priority) field.fail("must be \"P0\", \"P1\" or \"P2\"");
      slo.priority = *priority;
    } else if (key == "abort_on_fail" || key == "abortOnFail") {
      slo.abort_on_fail = bool_at(value, field);
    } else if (key == "delay_abort_eval" || key == "delayAbortEval") {
      slo.delay_abort_eval = duration_at(value, field);
    } else if (key == "description") {
      if (!value.IsString()) field.fail("must be a string");
      slo.description = value.GetString();
    } else if (key == "allow_empty" || key == "allowEmpty") {
      slo.allow_empty = bool_at(value, field);
    } else if (key == "window") {
      double seconds = duration_at(value, field);
      if (seconds < 1 || seconds != std::floor(seconds))
        field.fail(
            "must be a whole number of seconds, at least \"1s\" (the per-second series "
            "is what it slides over)");
      if (seconds > kLongestWindow) field.fail("must be at most 366 days");
      slo.window = static_cast<int64_t>(seconds);
      window = field.where;
    } else if (std::all_of(key.begin(), key.end(), [](char c) { return c >= '0' && c <= '9'; })) {
      at.fail("has more than one threshold expression; list them as separate entries");
    } else {
      field.fail(
          "unknown field (use warn, priority, abort_on_fail, delay_abort_eval, description, "
          "allow_empty or window)");
    }
  }
  if (!threshold) at.fail("has no threshold expression (write it first: { \"p(95)<3000\", ... })");
  slo.threshold = expression_at(*threshold, slo, at, typed);
  if (window) {
    for (const Expression* e : {&slo.threshold, slo.warn ? &*slo.warn : nullptr}) {
      if (!e) continue;
      if (std::string problem = window_problem(slo.selector, *e); !problem.empty())
        Context{at.file, *window}.fail(problem);
    }
  }
}

SloDefinition read_one(const rapidjson::Value& value, const SloDefinition& base, const Context& at,
                       bool typed) {
  SloDefinition slo = base;
  slo.where = at.where;
  if (value.IsString())
    slo.threshold = expression_at(value, slo, at, typed);
  else if (value.IsObject())
    read_entry(value, slo, at, typed);
  else
    at.fail("must be an expression string or a table { \"expr\", warn = ..., priority = ... }");
  return slo;
}

// The type a metric without samples gets from its thresholds: a counter if one
// of them counts, else what the first one's aggregation belongs to (rate: a
// Rate, value: a Gauge, the others: a Trend).
const Expression& typing_expression(const std::vector<SloDefinition*>& slos) {
  for (const SloDefinition* slo : slos) {
    if (slo->threshold.aggregation == Aggregation::kCount) return slo->threshold;
    if (slo->warn && slo->warn->aggregation == Aggregation::kCount) return *slo->warn;
  }
  return slos.front()->threshold;
}

metrics::MetricType type_of(Aggregation aggregation) {
  switch (aggregation) {
    case Aggregation::kCount:
      return metrics::MetricType::kCounter;
    case Aggregation::kRate:
      return metrics::MetricType::kRate;
    case Aggregation::kValue:
      return metrics::MetricType::kGauge;
    default:
      return metrics::MetricType::kTrend;
  }
}

// Types every metric that `lookup` does not know by its thresholds (over all
// keys selecting it), then checks each expression against that type.
void type_absent_metrics(std::vector<SloDefinition>& slos, const std::vector<size_t>& untyped,
                         const std::string& file) {
  std::vector<std::string> names;
  for (size_t i : untyped)
    if (std::find(names.begin(), names.end(), slos[i].selector.metric) == names.end())
      names.push_back(slos[i].selector.metric);
  for (const std::string& name : names) {
    std::vector<SloDefinition*> of_metric;
    for (size_t i : untyped)
      if (slos[i].selector.metric == name) of_metric.push_back(&slos[i]);
    const Expression& typing = typing_expression(of_metric);
    metrics::MetricDef def{name, type_of(typing.aggregation), false};
    auto check = [&](const Expression& e, const std::string& where) {
      if (aggregation_applies(e.aggregation, def.type)) return;
      Context{file, where}.fail(fmt::format(
          "'{}': {} has no samples, so its thresholds give its type: '{}' makes it a {}, which "
          "has {}, not {}",
          e.text, name, typing.text, metrics::metric_type_name(def.type), aggregations_of(def.type),
          e.aggregation_text()));
    };
    for (SloDefinition* slo : of_metric) {
      slo->metric = def;
      check(slo->threshold, slo->where);
      if (slo->warn) check(*slo->warn, slo->where + ".warn");
    }
  }
}

}  // namespace

std::vector<SloDefinition> parse_thresholds(const rapidjson::Value& thresholds,
                                            const MetricLookup& lookup, const std::string& file,
                                            const std::string& path, UnknownMetrics unknown) {
  std::vector<SloDefinition> slos;
  std::vector<size_t> untyped;  // indexes in slos of SLOs on metrics the lookup does not know
  if (thresholds.IsNull()) return slos;
  if (!thresholds.IsObject()) Context{file, path}.fail("must be a table of metric = thresholds");
  std::vector<const rapidjson::Value::Member*> members;
  for (const auto& member : thresholds.GetObject()) members.push_back(&member);
  std::sort(members.begin(), members.end(), [](const auto* a, const auto* b) {
    return std::string_view(a->name.GetString(), a->name.GetStringLength()) <
           std::string_view(b->name.GetString(), b->name.GetStringLength());
  });
  for (const auto* member : members) {
    std::string key(member->name.GetString(), member->name.GetStringLength());
    Context at{file, fmt::format("{}[\"{}\"]", path, key)};
    SloDefinition base;
    std::string error;
    auto selector = parse_selector(key, &error);
    if (!selector) at.fail(error);
    base.selector = std::move(*selector);
    auto metric = lookup(base.selector.metric);
    if (!metric && unknown == UnknownMetrics::kError)
      at.fail(
          fmt::format("unknown metric '{}' (not built in, and the script creates no such "
                      "metric with lueng.metrics)",
                      base.selector.metric));
    bool typed = metric.has_value();
    if (typed) base.metric = *metric;

    size_t first = slos.size();
    const rapidjson::Value& value = member->value;
    if (value.IsArray()) {
      if (value.Empty()) at.fail("lists no thresholds");
      for (rapidjson::SizeType i = 0; i < value.Size(); ++i)
        slos.push_back(
            read_one(value[i], base, Context{file, fmt::format("{}[{}]", at.where, i + 1)}, typed));
    } else if (value.IsObject() && value.ObjectEmpty()) {
      at.fail("lists no thresholds");
    } else {
      slos.push_back(read_one(value, base, at, typed));
    }
    if (!typed)
      for (size_t i = first; i < slos.size(); ++i) untyped.push_back(i);
  }
  type_absent_metrics(slos, untyped, file);
  return slos;
}

}  // namespace lueng::thresholds
