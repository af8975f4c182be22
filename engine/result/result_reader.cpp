#include "engine/result/result_reader.hpp"

#include <cerrno>
#include <cstring>
#include <limits>
#include <optional>

#include <fmt/format.h>
#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "engine/common/execution_segment.hpp"
#include "engine/common/json_parse.hpp"
#include "engine/common/random.hpp"
#include "engine/common/text_file.hpp"
#include "engine/metrics/tags.hpp"
#include "engine/result/detail_series_json.hpp"
#include "engine/result/failures.hpp"
#include "engine/result/monitor_json.hpp"
#include "engine/result/result_file.hpp"

namespace lueng::result {

namespace {

using Value = rapidjson::Value;

// The clock of a file read back: gauge sample times are offsets from the start
// of the test, negative in setup(); a start far from 0 keeps them all in range.
constexpr uint64_t kReadClockStart = uint64_t{1} << 62;

class Reader {
 public:
  explicit Reader(const std::string& name) : name_(name) {}

  [[noreturn]] void fail(const std::string& where, const std::string& what) const {
    throw ResultReadError(fmt::format("{}: {}: {}", name_, where, what));
  }

  const Value* member(const Value& object, const char* key) const {
    auto it = object.FindMember(key);
    return it == object.MemberEnd() ? nullptr : &it->value;
  }
  const Value& required(const Value& object, const char* key, const std::string& where) const {
    const Value* value = member(object, key);
    if (!value) fail(where, fmt::format("'{}' is missing", key));
    return *value;
  }
  double number(const Value& object, const char* key, const std::string& where,
                double fallback = 0) const {
    const Value* value = member(object, key);
    if (!value || value->IsNull()) return fallback;
    if (!value->IsNumber()) fail(where + "." + key, "must be a number");
    return value->GetDouble();
  }
  // A number read into an integer: one beyond T's range (1e300 in a hand-edited
  // file) is an error, as converting it would be undefined.
  template <typename T>
  T integer(const Value& object, const char* key, const std::string& where) const {
    double value = number(object, key, where);
    if (!(value >= static_cast<double>(std::numeric_limits<T>::min()) &&
          value < static_cast<double>(std::numeric_limits<T>::max()) + 1.0))
      fail(where + "." + key, "must be a whole number of a sensible size");
    return static_cast<T>(value);
  }
  uint64_t count(const Value& object, const char* key, const std::string& where) const {
    const Value* value = member(object, key);
    if (!value) return 0;
    if (!value->IsUint64()) {
      // Counts are written as integers, but a double holding a whole number is fine.
      if (value->IsNumber() && value->GetDouble() >= 0 && value->GetDouble() < 0x1p64)
        return static_cast<uint64_t>(value->GetDouble());
      fail(where + "." + key, "must be a whole number >= 0");
    }
    return value->GetUint64();
  }
  std::string string(const Value& object, const char* key, const std::string& where) const {
    const Value* value = member(object, key);
    if (!value || value->IsNull()) return "";
    if (!value->IsString()) fail(where + "." + key, "must be a string");
    return {value->GetString(), value->GetStringLength()};
  }
  bool boolean(const Value& object, const char* key, const std::string& where) const {
    const Value* value = member(object, key);
    if (!value) return false;
    if (!value->IsBool()) fail(where + "." + key, "must be true or false");
    return value->GetBool();
  }

  // failures: the rows as written, capped as a run caps them (the rest unlisted).
  void failures(RunResult& result, const Value& rows) const {
    if (!rows.IsArray()) fail("failures", "must be an array");
    for (const Value& row : rows.GetArray()) {
      if (!row.IsObject()) fail("failures", "must hold objects");
      FailureCount failure;
      failure.method = string(row, "method", "failures");
      failure.endpoint = string(row, "endpoint", "failures");
      failure.status = integer<int>(row, "status", "failures");
      failure.error_code = integer<int>(row, "error_code", "failures");
      failure.message = string(row, "message", "failures");
      failure.count = count(row, "count", "failures");
      result.failures.push_back(std::move(failure));
    }
    uint64_t cut = 0;
    rank_failures(result.failures, &cut);
    result.failures_unlisted += cut;
  }

  // execution_segment: its texts must read as k6 reads them, so that `lueng merge`
  // can trust them.
  SegmentInfo segment(const Value& object) const {
    const std::string where = "execution_segment";
    if (!object.IsObject()) fail(where, "must be an object or null");
    SegmentInfo info;
    info.segment = string(object, "segment", where);
    info.from = string(object, "from", where);
    info.to = string(object, "to", where);
    info.sequence = string(object, "sequence", where);
    info.index = integer<int64_t>(object, "index", where);
    info.count = integer<int64_t>(object, "count", where);
    ExecutionSegment parsed;
    if (std::string problem = parse_execution_segment(info.segment, parsed); !problem.empty())
      fail(where + ".segment", problem);
    if (parsed.from.text() != info.from || parsed.to.text() != info.to)
      fail(where, fmt::format("from '{}' and to '{}' are not those of segment '{}'", info.from,
                              info.to, info.segment));
    std::vector<Fraction> points;
    if (std::string problem = parse_segment_sequence(info.sequence, points); !problem.empty())
      fail(where + ".sequence", problem);
    return info;
  }

  std::string tags(const Value& object, const std::string& where) const {
    if (!object.IsObject()) fail(where, "must be an object");
    const Value* tags = member(object, "tags");
    if (!tags) return "";
    if (!tags->IsObject()) fail(where + ".tags", "must be an object");
    std::vector<std::pair<std::string, std::string>> pairs;
    for (const auto& tag : tags->GetObject()) {
      if (!tag.value.IsString()) fail(where + ".tags", "tag values must be strings");
      pairs.emplace_back(tag.name.GetString(), tag.value.GetString());
    }
    return metrics::encode_tags(pairs);
  }

  metrics::Histogram histogram(const Value& h, const std::string& where) const {
    if (!h.IsObject()) fail(where, "must be an object");
    if (number(h, "sub_bucket_bits", where, metrics::Histogram::kSubBucketBits) !=
        metrics::Histogram::kSubBucketBits)
      fail(where + ".sub_bucket_bits",
           fmt::format("only {} is supported", metrics::Histogram::kSubBucketBits));
    metrics::Histogram out;
    const Value& buckets = required(h, "buckets", where);
    if (!buckets.IsArray()) fail(where + ".buckets", "must be a list of [index, count]");
    for (const auto& bucket : buckets.GetArray()) {
      if (!bucket.IsArray() || bucket.Size() != 2 || !bucket[0].IsInt64() || !bucket[1].IsUint64())
        fail(where + ".buckets", "must be a list of [index, count]");
      out.add_bucket(bucket[0].GetInt64(), bucket[1].GetUint64());
    }
    out.set_exact(count(h, "count", where), number(h, "sum", where), number(h, "min", where),
                  number(h, "max", where));
    return out;
  }

  // An aggregate from the "values" (and "histogram") of a metric or series.
  metrics::Aggregate aggregate(const Value& object, const metrics::MetricDef& def,
                               const std::string& where) const {
    metrics::Aggregate a;
    const Value& values = required(object, "values", where);
    if (!values.IsObject()) fail(where + ".values", "must be an object");
    std::string at = where + ".values";
    switch (def.type) {
      case metrics::MetricType::kCounter:
        a.sum = number(values, "count", at);
        a.count = count(values, "samples", at);
        break;
      case metrics::MetricType::kRate:
        a.nonzero = count(values, "passes", at);
        a.count = a.nonzero + count(values, "fails", at);
        break;
      case metrics::MetricType::kGauge:
        a.last = number(values, "value", at);
        a.count = count(values, "samples", at);
        if (a.count > 0) {
          a.min = number(values, "min", at);
          a.max = number(values, "max", at);
        }
        if (const Value* last = member(values, "last_time_ns")) {
          if (!last->IsInt64()) fail(at + ".last_time_ns", "must be a whole number");
          a.last_time_ns = kReadClockStart + static_cast<uint64_t>(last->GetInt64());
        }
        break;
      case metrics::MetricType::kTrend:
        a.trend = histogram(required(object, "histogram", where), where + ".histogram");
        a.count = a.trend.count();
        break;
    }
    return a;
  }

  void metric(RunResult& result, const std::string& name, const Value& m) const {
    std::string where = "metrics." + name;
    if (!m.IsObject()) fail(where, "must be an object");
    auto type = metrics::parse_metric_type(string(m, "type", where));
    if (!type) fail(where + ".type", "must be counter, gauge, rate or trend");
    metrics::MetricDef def{name, *type, string(m, "contains", where) == "time"};
    if (const Value* series = member(m, "series")) {
      if (!series->IsArray()) fail(where + ".series", "must be a list");
      for (rapidjson::SizeType i = 0; i < series->Size(); ++i) {
        std::string at = fmt::format("{}.series[{}]", where, i);
        result.metrics.add(def, tags((*series)[i], at), aggregate((*series)[i], def, at));
      }
    }
    if (const Value* submetrics = member(m, "submetrics")) {
      if (!submetrics->IsArray()) fail(where + ".submetrics", "must be a list");
      for (rapidjson::SizeType i = 0; i < submetrics->Size(); ++i) {
        std::string at = fmt::format("{}.submetrics[{}]", where, i);
        result.metrics.add_submetric(def, tags((*submetrics)[i], at),
                                     aggregate((*submetrics)[i], def, at));
      }
    }
    result.metrics.set_total(def, aggregate(m, def, where));
  }

  // The scenario's load shape. Files written before lueng wrote "load" are read
  // by what their executors wrote: stages for a ramp, a duration for a constant
  // load. A shape this lueng does not know has nothing its findings judge.
  LoadShape load_shape(const Value& s, const ScenarioSummary& summary,
                       const std::string& where) const {
    if (member(s, "load"))
      return parse_load_shape(string(s, "load", where)).value_or(LoadShape::kOther);
    if (!summary.stages.empty()) return LoadShape::kRamping;
    if (summary.duration > 0) return LoadShape::kConstant;
    return LoadShape::kOther;
  }

  void scenarios(RunResult& result, const Value& list) const {
    if (!list.IsArray()) fail("scenarios", "must be a list");
    for (rapidjson::SizeType i = 0; i < list.Size(); ++i) {
      const Value& s = list[i];
      std::string where = fmt::format("scenarios[{}]", i);
      if (!s.IsObject()) fail(where, "must be an object");
      ScenarioSummary summary;
      summary.name = string(s, "name", where);
      summary.executor = string(s, "executor", where);
      summary.description = string(s, "description", where);
      summary.exec = string(s, "exec", where);
      summary.vus = integer<int64_t>(s, "vus", where);
      summary.iterations = integer<int64_t>(s, "iterations", where);
      summary.duration = number(s, "duration_seconds", where);
      summary.max_duration = number(s, "max_duration_seconds", where);
      summary.start_time = number(s, "start_time_seconds", where);
      summary.graceful_stop = number(s, "graceful_stop_seconds", where);
      if (const Value* tags = member(s, "tags"); tags && tags->IsObject())
        for (const auto& tag : tags->GetObject())
          if (tag.value.IsString())
            summary.tags.emplace_back(tag.name.GetString(), tag.value.GetString());
      // Stages and breaking point came after the first lueng.result/1 files.
      summary.iterations_completed = integer<int64_t>(s, "iterations_completed", where);
      summary.iterations_interrupted = integer<int64_t>(s, "iterations_interrupted", where);
      if (member(s, "start_target"))
        summary.start_target = integer<int64_t>(s, "start_target", where);
      if (const Value* stages = member(s, "stages"); stages && stages->IsArray())
        for (rapidjson::SizeType k = 0; k < stages->Size(); ++k) {
          std::string at = fmt::format("{}.stages[{}]", where, k);
          if (!(*stages)[k].IsObject()) fail(at, "must be an object");
          summary.stages.emplace_back(number((*stages)[k], "duration_seconds", at),
                                      integer<int64_t>((*stages)[k], "target", at));
        }
      if (const Value* bp = member(s, "breaking_point"); bp && bp->IsObject()) {
        summary.breaking_p95_ms = number(*bp, "p95_ms", where + ".breaking_point");
        summary.breaking_error_rate = number(*bp, "error_rate", where + ".breaking_point");
      }
      summary.load = load_shape(s, summary, where);
      result.scenarios.push_back(std::move(summary));
    }
  }

  void time_series(RunResult& result, const Value& list) const {
    if (!list.IsArray()) fail("time_series", "must be a list");
    for (rapidjson::SizeType i = 0; i < list.Size(); ++i) {
      const Value& p = list[i];
      std::string where = fmt::format("time_series[{}]", i);
      if (!p.IsObject()) fail(where, "must be an object");
      TimePoint point;
      point.second = integer<int64_t>(p, "t", where);
      point.vus = number(p, "vus", where);
      point.vus_max = number(p, "vus_max", where);
      point.requests = count(p, "http_reqs", where);
      point.failed = count(p, "http_req_failed", where);
      point.iterations = count(p, "iterations", where);
      point.checks_passed = count(p, "checks_passed", where);
      point.checks_failed = count(p, "checks_failed", where);
      point.data_sent = number(p, "data_sent", where);
      point.data_received = number(p, "data_received", where);
      // Absent in files written before the generator was measured: 0 there.
      point.dropped = count(p, "dropped_iterations", where);
      point.start_lag_p95 = number(p, "iteration_start_lag_p(95)", where);
      point.busy = number(p, "busy", where);
      if (const Value* d = member(p, "http_req_duration"); d && d->IsObject()) {
        std::string at = where + ".http_req_duration";
        point.duration_avg = number(*d, "avg", at);
        point.duration_p50 = number(*d, "p(50)", at);
        point.duration_p90 = number(*d, "p(90)", at);
        point.duration_p95 = number(*d, "p(95)", at);
        point.duration_p99 = number(*d, "p(99)", at);
        point.duration_max = number(*d, "max", at);
        // Added in lueng.result/1 files after the first: absent in older ones.
        if (member(*d, "window_p(95)")) point.window_p95 = number(*d, "window_p(95)", at);
        if (member(*d, "window_count")) point.window_requests = count(*d, "window_count", at);
      }
      if (const Value* d = member(p, "http_req_duration_total"); d && d->IsObject()) {
        std::string at = where + ".http_req_duration_total";
        point.total_min = number(*d, "min", at);
        point.total_avg = number(*d, "avg", at);
        point.total_max = number(*d, "max", at);
        for (size_t k = 0; k < kLocustPercentiles.size(); ++k)
          point.total_percentiles[k] =
              number(*d, fmt::format("p({:g})", kLocustPercentiles[k]).c_str(), at);
      }
      result.time_series.push_back(point);
    }
  }

  thresholds::SloResult slo_result(const Value& r, const std::string& where) const {
    if (!r.IsObject()) fail(where, "must be an object");
    thresholds::SloResult out;
    thresholds::SloDefinition& slo = out.slo;
    std::string error;
    auto selector = thresholds::parse_selector(string(r, "slo", where), &error);
    if (!selector) fail(where + ".slo", error);
    slo.selector = std::move(*selector);
    slo.where = string(r, "where", where);
    auto type = metrics::parse_metric_type(string(r, "metric_type", where));
    if (!type) fail(where + ".metric_type", "must be counter, gauge, rate or trend");
    slo.metric = {slo.selector.metric, *type, boolean(r, "is_time", where)};
    auto threshold = thresholds::parse_expression(string(r, "expression", where), &error);
    if (!threshold) fail(where + ".expression", error);
    slo.threshold = std::move(*threshold);
    if (std::string warn = string(r, "warn", where); !warn.empty()) {
      auto expression = thresholds::parse_expression(warn, &error);
      if (!expression) fail(where + ".warn", error);
      slo.warn = std::move(*expression);
    }
    auto priority = thresholds::parse_priority(string(r, "priority", where));
    if (!priority) fail(where + ".priority", "must be P0, P1 or P2");
    slo.priority = *priority;
    slo.abort_on_fail = boolean(r, "abort_on_fail", where);
    slo.delay_abort_eval = number(r, "delay_abort_eval_seconds", where);
    slo.description = string(r, "description", where);
    slo.allow_empty = boolean(r, "allow_empty", where);
    if (member(r, "window_seconds")) {
      slo.window = integer<int64_t>(r, "window_seconds", where);
      if (slo.window < 0) fail(where + ".window_seconds", "must not be negative");
    }
    auto status = thresholds::parse_status(string(r, "status", where));
    if (!status) fail(where + ".status", "must be PASS, WARNING, FAIL, CRITICAL or NO DATA");
    out.status = *status;
    out.samples = count(r, "samples", where);
    out.value = number(r, "value", where);
    if (const Value* v = member(r, "warn_value"); v && v->IsNumber())
      out.warn_value = v->GetDouble();
    if (const Value* v = member(r, "deviation_percent"); v && v->IsNumber())
      out.deviation_percent = v->GetDouble();
    if (const Value* w = member(r, "worst_window"); w && w->IsObject()) {
      std::string at = where + ".worst_window";
      out.worst_window = thresholds::WorstWindow{integer<int64_t>(*w, "from_second", at),
                                                 integer<int64_t>(*w, "to_second", at),
                                                 count(*w, "windows", at), count(*w, "missed", at)};
    }
    if (const Value* list = member(r, "recommendations"); list && list->IsArray())
      for (const auto& advice : list->GetArray())
        if (advice.IsString()) out.recommendations.emplace_back(advice.GetString());
    return out;
  }

  void merged_from(RunResult& result, const Value& list) const {
    if (!list.IsArray()) fail("merged_from", "must be a list");
    for (rapidjson::SizeType i = 0; i < list.Size(); ++i) {
      const Value& m = list[i];
      std::string where = fmt::format("merged_from[{}]", i);
      if (!m.IsObject()) fail(where, "must be an object");
      MergedInput& input = result.merged_from.emplace_back();
      input.file = string(m, "file", where);
      input.segment = string(m, "segment", where);
      input.script_sha256 = string(m, "script_sha256", where);
      input.start_unix_ms = integer<int64_t>(m, "start_unix_ms", where);
      input.end_unix_ms = integer<int64_t>(m, "end_unix_ms", where);
      input.exit_code = integer<int>(m, "exit_code", where);
      input.aborted_by = string(m, "aborted_by", where);
      input.interrupted = boolean(m, "interrupted", where);
    }
  }

  std::vector<std::string> strings(const Value& object, const char* key,
                                   const std::string& where) const {
    std::vector<std::string> out;
    const Value* list = member(object, key);
    if (!list) return out;
    if (!list->IsArray()) fail(where + "." + key, "must be a list of strings");
    for (const Value& item : list->GetArray()) {
      if (!item.IsString()) fail(where + "." + key, "must be a list of strings");
      out.emplace_back(item.GetString(), item.GetStringLength());
    }
    return out;
  }

  void coverage(RunResult& result, const Value& c) const {
    if (c.IsNull()) return;
    if (!c.IsObject()) fail("coverage", "must be an object");
    result.coverage =
        Coverage{strings(c, "covered", "coverage"), strings(c, "missing", "coverage")};
  }

  void slos(RunResult& result, const Value& s) const {
    if (!s.IsObject()) fail("slos", "must be an object");
    thresholds::SloReport& report = result.slo;
    report.verdict = string(s, "verdict", "slos");
    report.exit_code = integer<int>(s, "exit_code", "slos");
    report.compliance = number(s, "compliance_percent", "slos", 100);
    report.rating = string(s, "rating", "slos");
    report.met = count(s, "met", "slos");
    report.strict = boolean(s, "strict", "slos");
    report.aborted_by = string(s, "aborted_by", "slos");
    if (const Value* list = member(s, "results")) {
      if (!list->IsArray()) fail("slos.results", "must be a list");
      for (rapidjson::SizeType i = 0; i < list->Size(); ++i)
        report.results.push_back(slo_result((*list)[i], fmt::format("slos.results[{}]", i)));
    }
  }

 private:
  const std::string& name_;
};

}  // namespace

RunResult result_from_json(std::string_view json, const std::string& name) {
  rapidjson::Document d;
  // Exact to the last bit: the thresholds re-evaluated here compare the very
  // numbers the run compared.
  JsonParseError error;
  if (!parse_json_bounded(json, d, &error))
    throw ResultReadError(
        fmt::format("{}: not JSON: {} at offset {}", name, error.what, error.offset));
  Reader reader(name);
  if (!d.IsObject()) reader.fail("top level", "must be an object");
  std::string schema = reader.string(d, "schema", "top level");
  if (schema != kResultSchema)
    reader.fail("schema", schema.empty()
                              ? std::string("missing: not a lueng result file")
                              : fmt::format("'{}' is not supported (this lueng reads {})", schema,
                                            kResultSchema));
  RunResult result;
  result.clock_start_ns = kReadClockStart;
  result.lueng_version = reader.string(d, "lueng_version", "top level");
  result.script = reader.string(d, "script", "top level");
  if (reader.member(d, "base_url")) result.base_url = reader.string(d, "base_url", "top level");
  if (const Value* paths = reader.member(d, "module_paths")) {
    if (!paths->IsArray()) reader.fail("top level.module_paths", "must be an array of strings");
    for (const Value& path : paths->GetArray()) {
      if (!path.IsString()) reader.fail("top level.module_paths", "must be an array of strings");
      result.module_paths.emplace_back(path.GetString(), path.GetStringLength());
    }
  }
  result.host = reader.string(d, "host", "top level");
  // Only in files written by lueng merge.
  if (const Value* inputs = reader.member(d, "merged_from")) reader.merged_from(result, *inputs);
  if (const Value* coverage = reader.member(d, "coverage")) reader.coverage(result, *coverage);
  result.start_unix_ms = reader.integer<int64_t>(d, "start_unix_ms", "top level");
  result.end_unix_ms = reader.integer<int64_t>(d, "end_unix_ms", "top level");
  result.duration_seconds = reader.number(d, "duration_seconds", "top level");
  result.interrupted = reader.boolean(d, "interrupted", "top level");
  result.interrupt_reason = reader.string(d, "interrupt_reason", "top level");
  result.partial = reader.boolean(d, "partial", "top level");
  result.exit_code = reader.integer<int>(d, "exit_code", "top level");
  result.workers = reader.integer<int>(d, "workers", "top level");
  result.max_vus = reader.count(d, "max_vus", "top level");
  if (reader.member(d, "random_seed")) {
    result.random_seed = reader.count(d, "random_seed", "top level");
    if (*result.random_seed > kMaxRandomSeed)
      reader.fail("top level.random_seed", "must be a whole number from 0 to 2^53 - 1");
  }
  if (const Value* part = reader.member(d, "execution_segment"); part && !part->IsNull())
    result.execution_segment = reader.segment(*part);
  result.script_sha256 = reader.string(d, "script_sha256", "top level");
  if (const Value* start_at = reader.member(d, "start_at_unix_ms"); start_at && !start_at->IsNull())
    result.start_at_unix_ms = reader.integer<int64_t>(d, "start_at_unix_ms", "top level");
  result.overflowed_tag_sets = reader.count(d, "overflowed_tag_sets", "top level");
  result.dropped_samples = reader.count(d, "dropped_samples", "top level");

  result.options_json = "null";
  if (const Value* options = reader.member(d, "options"); options && !options->IsNull()) {
    rapidjson::StringBuffer buffer;
    rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
    options->Accept(writer);
    result.options_json.assign(buffer.GetString(), buffer.GetSize());
  }
  if (const Value* scenarios = reader.member(d, "scenarios")) reader.scenarios(result, *scenarios);
  const Value& metrics = reader.required(d, "metrics", "top level");
  if (!metrics.IsObject()) reader.fail("metrics", "must be an object");
  for (const auto& m : metrics.GetObject()) reader.metric(result, m.name.GetString(), m.value);
  if (const Value* series = reader.member(d, "time_series")) reader.time_series(result, *series);
  read_detail_series(d, result, [&reader](const std::string& where, const std::string& what) {
    reader.fail(where, what);
  });
  if (const Value* errors = reader.member(d, "errors"); errors && errors->IsArray())
    for (const auto& e : errors->GetArray())
      if (e.IsObject()) {
        ScriptErrorCount& count = result.script_errors.emplace_back();
        count.message = reader.string(e, "message", "errors");
        count.phase = reader.string(e, "phase", "errors");
        if (count.phase.empty()) count.phase = "iteration";  // files of lueng 0.x before phases
        count.deliberate = reader.string(e, "kind", "errors") == "fail";
        count.count = reader.count(e, "count", "errors");
      }
  result.failures_unlisted = reader.count(d, "failures_unlisted", "top level");
  if (const Value* failures = reader.member(d, "failures")) reader.failures(result, *failures);
  if (const Value* slos = reader.member(d, "slos")) reader.slos(result, *slos);
  if (const Value* monitor = reader.member(d, "monitor"))
    read_monitor(
        *monitor, result.monitor,
        [&reader](const std::string& where, const std::string& what) { reader.fail(where, what); });
  return result;
}

RunResult read_result_file(const std::string& path) {
  std::optional<std::string> text = read_text_file(path);
  if (!text) throw ResultReadError(path + ": cannot read: " + std::strerror(errno));
  return result_from_json(*text, path);
}

}  // namespace lueng::result
