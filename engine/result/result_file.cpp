#include "engine/result/result_file.hpp"

#include <cerrno>
#include <cstdio>
#include <cstring>

#include <fmt/format.h>
#include <rapidjson/document.h>
#include <rapidjson/prettywriter.h>
#include <rapidjson/stringbuffer.h>

#include "engine/common/json_parse.hpp"
#include "engine/common/text_file.hpp"
#include "engine/common/utc_time.hpp"
#include "engine/metrics/tags.hpp"
#include "engine/result/detail_series_json.hpp"
#include "engine/result/json_fields.hpp"
#include "engine/result/monitor_json.hpp"
#include "engine/result/slo_json.hpp"
#include "engine/result/views.hpp"

namespace lueng::result {

namespace {

using Writer = JsonWriter;

std::string iso8601(int64_t unix_ms) {
  return format_utc(unix_ms, UtcFormat::kIsoMillis);
}

void write_tags(Writer& w, std::string_view encoded) {
  w.StartObject();
  metrics::for_each_tag(encoded, [&](std::string_view key, std::string_view value) {
    w.Key(key.data(), static_cast<rapidjson::SizeType>(key.size()));
    w.String(value.data(), static_cast<rapidjson::SizeType>(value.size()));
  });
  w.EndObject();
}

void write_histogram(Writer& w, const metrics::Histogram& h) {
  w.StartObject();
  key_uint(w, "count", h.count());
  key_number(w, "sum", h.sum());
  key_number(w, "min", h.min());
  key_number(w, "max", h.max());
  key_int(w, "sub_bucket_bits", metrics::Histogram::kSubBucketBits);
  w.Key("buckets");
  w.StartArray();
  h.for_each_bucket([&](int64_t index, uint64_t count) {
    w.StartArray();
    w.Int64(index);
    w.Uint64(count);
    w.EndArray();
  });
  w.EndArray();
  w.EndObject();
}

// The values a threshold or a reader looks at, by metric type, and the raw
// parts a later merge needs.
void write_values(Writer& w, const metrics::MetricDef& def, const metrics::Aggregate& a,
                  const RunResult& result) {
  double seconds = result.duration_seconds;
  w.Key("values");
  w.StartObject();
  switch (def.type) {
    case metrics::MetricType::kCounter:
      key_number(w, "count", a.sum);
      key_number(w, "rate", seconds > 0 ? a.sum / seconds : 0);
      key_uint(w, "samples", a.count);
      break;
    case metrics::MetricType::kRate:
      key_number(w, "rate", a.rate());
      key_uint(w, "passes", a.nonzero);
      key_uint(w, "fails", a.count - a.nonzero);
      break;
    case metrics::MetricType::kGauge:
      key_number(w, "value", a.last);
      key_number(w, "min", a.count ? a.min : 0);
      key_number(w, "max", a.count ? a.max : 0);
      key_uint(w, "samples", a.count);
      if (a.last_time_ns != 0)  // none in files from before the field
        key_int(w, "last_time_ns",
                static_cast<int64_t>(a.last_time_ns) - static_cast<int64_t>(result.clock_start_ns));
      break;
    case metrics::MetricType::kTrend: {
      const metrics::Histogram& h = a.trend;
      key_uint(w, "count", h.count());
      key_number(w, "avg", h.mean());
      key_number(w, "min", h.min());
      key_number(w, "med", h.percentile(50));
      key_number(w, "max", h.max());
      key_number(w, "p(90)", h.percentile(90));
      key_number(w, "p(95)", h.percentile(95));
      key_number(w, "p(99)", h.percentile(99));
      break;
    }
  }
  w.EndObject();
  if (def.type == metrics::MetricType::kTrend) {
    w.Key("histogram");
    write_histogram(w, a.trend);
  }
}

void write_metrics(Writer& w, const RunResult& result) {
  w.Key("metrics");
  w.StartObject();
  for (const auto& metric : result.metrics.metrics()) {
    if (metric.total.count == 0) continue;
    w.Key(metric.def.name.c_str());
    w.StartObject();
    key_string(w, "type", metrics::metric_type_name(metric.def.type));
    w.Key("contains");
    w.String(metric.def.is_time                     ? "time"
             : metric.def.name.starts_with("data_") ? "data"
                                                    : "default");
    write_values(w, metric.def, metric.total, result);
    w.Key("series");
    w.StartArray();
    for (const auto& [tags, aggregate] : metric.by_tags) {
      w.StartObject();
      w.Key("tags");
      write_tags(w, tags);
      write_values(w, metric.def, aggregate, result);
      w.EndObject();
    }
    w.EndArray();
    if (!metric.submetrics.empty()) {
      w.Key("submetrics");
      w.StartArray();
      for (const auto& [filter, aggregate] : metric.submetrics) {
        w.StartObject();
        w.Key("tags");
        write_tags(w, filter);
        write_values(w, metric.def, aggregate, result);
        w.EndObject();
      }
      w.EndArray();
    }
    w.EndObject();
  }
  w.EndObject();
}

void write_time_series(Writer& w, const RunResult& result) {
  w.Key("time_series");
  w.StartArray();
  for (const auto& p : result.time_series) {
    w.StartObject();
    key_int(w, "t", p.second);
    key_number(w, "vus", p.vus);
    key_number(w, "vus_max", p.vus_max);
    key_uint(w, "http_reqs", p.requests);
    key_uint(w, "http_req_failed", p.failed);
    key_uint(w, "iterations", p.iterations);
    key_uint(w, "checks_passed", p.checks_passed);
    key_uint(w, "checks_failed", p.checks_failed);
    key_number(w, "data_sent", p.data_sent);
    key_number(w, "data_received", p.data_received);
    key_uint(w, "dropped_iterations", p.dropped);
    key_number(w, "iteration_start_lag_p(95)", p.start_lag_p95);
    key_number(w, "busy", p.busy);
    w.Key("http_req_duration");
    w.StartObject();
    key_number(w, "avg", p.duration_avg);
    key_number(w, "p(50)", p.duration_p50);
    key_number(w, "p(90)", p.duration_p90);
    key_number(w, "p(95)", p.duration_p95);
    key_number(w, "p(99)", p.duration_p99);
    key_number(w, "max", p.duration_max);
    key_number(w, "window_p(95)", p.window_p95);
    key_uint(w, "window_count", p.window_requests);
    w.EndObject();
    w.Key("http_req_duration_total");
    w.StartObject();
    key_number(w, "min", p.total_min);
    key_number(w, "avg", p.total_avg);
    key_number(w, "max", p.total_max);
    for (size_t i = 0; i < kLocustPercentiles.size(); ++i)
      key_number(w, fmt::format("p({:g})", kLocustPercentiles[i]).c_str(), p.total_percentiles[i]);
    w.EndObject();
    w.EndObject();
  }
  w.EndArray();
}

// Derived from the time series and the scenarios: for readers of the file only
// (lueng recomputes them after reading a file back).
void write_findings(Writer& w, const Findings& f) {
  w.Key("findings");
  w.StartObject();
  w.Key("breaking_points");
  w.StartArray();
  for (const auto& b : f.breaking_points) {
    w.StartObject();
    key_string(w, "scenario", b.scenario.c_str());
    key_bool(w, "reached", b.reached);
    key_number(w, "p95_limit_ms", b.p95_limit_ms);
    key_number(w, "error_rate_limit", b.error_rate_limit);
    if (b.reached) {
      key_int(w, "t", b.second);
      key_string(w, "cause", b.cause.c_str());
      key_number(w, "p95_ms", b.p95_ms);
      key_number(w, "error_rate", b.error_rate);
      key_number(w, "vus", b.vus);
      key_number(w, "request_rate", b.request_rate);
    }
    w.EndObject();
  }
  w.EndArray();
  w.Key("recoveries");
  w.StartArray();
  for (const auto& r : f.recoveries) {
    w.StartObject();
    key_string(w, "scenario", r.scenario.c_str());
    key_int(w, "spike_start", r.spike_start);
    key_int(w, "spike_end", r.spike_end);
    key_number(w, "before_p95_ms", r.before_p95_ms);
    key_bool(w, "recovered", r.recovered);
    key_number(w, "seconds", r.seconds);
    w.EndObject();
  }
  w.EndArray();
  w.Key("drifts");
  w.StartArray();
  for (const auto& d : f.drifts) {
    w.StartObject();
    key_string(w, "scenario", d.scenario.c_str());
    key_number(w, "p95_first_ms", d.p95_first_ms);
    key_number(w, "p95_last_ms", d.p95_last_ms);
    key_number(w, "p95_change_percent", d.p95_change_percent);
    key_number(w, "error_rate_first", d.error_rate_first);
    key_number(w, "error_rate_last", d.error_rate_last);
    key_number(w, "error_rate_change_percent", d.error_rate_change_percent);
    key_bool(w, "flagged", d.flagged);
    key_string(w, "state", d.state());
    key_bool(w, "hold", d.hold);
    key_number(w, "stretch_start", d.stretch_start);
    key_number(w, "stretch_end", d.stretch_end);
    key_int(w, "requests_first", static_cast<int64_t>(d.requests_first));
    key_int(w, "requests_last", static_cast<int64_t>(d.requests_last));
    key_int(w, "min_requests", static_cast<int64_t>(d.min_requests));
    w.EndObject();
  }
  w.EndArray();
  w.Key("target_growth");
  w.StartArray();
  for (const auto& g : f.target_growth) {
    w.StartObject();
    key_string(w, "metric", g.metric);
    key_string(w, "source", g.source);
    key_string(w, "labels", g.labels);
    key_number(w, "baseline", g.baseline);
    key_number(w, "last", g.last);
    key_number(w, "growth_percent", g.growth_percent);
    key_number(w, "from_second", g.from_second);
    key_number(w, "to_second", g.to_second);
    key_bool(w, "flagged", g.flagged);
    w.EndObject();
  }
  w.EndArray();
  w.Key("generator");
  if (!f.generator) {
    w.Null();
  } else {
    const GeneratorLimit& g = *f.generator;
    auto write_span = [&w](const char* key, const GeneratorLimit::Span& span) {
      w.Key(key);
      if (!span.seen()) return w.Null(), void();
      w.StartObject();
      key_int(w, "first", span.first);
      key_int(w, "last", span.last);
      key_int(w, "seconds", span.seconds);
      w.EndObject();
    };
    w.StartObject();
    write_span("dropped", g.dropped);
    key_uint(w, "dropped_iterations", g.dropped_iterations);
    write_span("lagging", g.lagging);
    key_number(w, "worst_lag_p95_ms", g.worst_lag_p95_ms);
    write_span("saturated", g.saturated);
    key_number(w, "worst_busy", g.worst_busy);
    key_string(w, "text", g.text.c_str());
    w.EndObject();
  }
  w.EndObject();
}

// Only in a file written by lueng merge: its inputs and what they covered.
void write_merge(Writer& w, const RunResult& result) {
  if (result.merged_from.empty() && !result.coverage) return;
  w.Key("merged_from");
  w.StartArray();
  for (const MergedInput& input : result.merged_from) {
    w.StartObject();
    key_string(w, "file", input.file);
    key_string(w, "segment", input.segment);
    key_string(w, "script_sha256", input.script_sha256);
    key_int(w, "start_unix_ms", input.start_unix_ms);
    key_int(w, "end_unix_ms", input.end_unix_ms);
    key_int(w, "exit_code", input.exit_code);
    key_string(w, "aborted_by", input.aborted_by);
    key_bool(w, "interrupted", input.interrupted);
    w.EndObject();
  }
  w.EndArray();
  const Coverage coverage = result.coverage.value_or(Coverage{});
  w.Key("coverage");
  w.StartObject();
  for (const auto& [key, list] :
       {std::pair{"covered", &coverage.covered}, std::pair{"missing", &coverage.missing}}) {
    w.Key(key);
    w.StartArray();
    for (const std::string& span : *list) w.String(span.c_str());
    w.EndArray();
  }
  w.EndObject();
}

}  // namespace

const char* load_shape_name(LoadShape shape) {
  switch (shape) {
    case LoadShape::kConstant:
      return "constant";
    case LoadShape::kRamping:
      return "ramping";
    case LoadShape::kOther:
      break;
  }
  return "other";
}

std::optional<LoadShape> parse_load_shape(std::string_view name) {
  for (LoadShape shape : {LoadShape::kOther, LoadShape::kConstant, LoadShape::kRamping})
    if (name == load_shape_name(shape)) return shape;
  return std::nullopt;
}

std::string result_to_json(const RunResult& result) {
  rapidjson::StringBuffer buffer;
  Writer w(buffer);
  w.SetIndent(' ', 2);
  w.StartObject();
  key_string(w, "schema", kResultSchema);
  key_string(w, "lueng_version", result.lueng_version.c_str());
  key_string(w, "script", result.script.c_str());
  key_string(w, "base_url", result.base_url.c_str());
  w.Key("module_paths");
  w.StartArray();
  for (const std::string& path : result.module_paths) w.String(path.c_str());
  w.EndArray();
  key_string(w, "host", result.host.c_str());
  write_merge(w, result);
  key_string(w, "start", iso8601(result.start_unix_ms).c_str());
  key_string(w, "end", iso8601(result.end_unix_ms).c_str());
  key_int(w, "start_unix_ms", result.start_unix_ms);
  key_int(w, "end_unix_ms", result.end_unix_ms);
  key_number(w, "duration_seconds", result.duration_seconds);
  key_bool(w, "interrupted", result.interrupted);
  key_string(w, "interrupt_reason", result.interrupt_reason.c_str());
  key_bool(w, "partial", result.partial);
  key_int(w, "exit_code", result.exit_code);
  key_int(w, "workers", result.workers);
  key_uint(w, "max_vus", result.max_vus);
  if (result.random_seed) key_uint(w, "random_seed", *result.random_seed);
  w.Key("execution_segment");
  if (const auto& part = result.execution_segment) {
    w.StartObject();
    key_string(w, "segment", part->segment);
    key_string(w, "from", part->from);
    key_string(w, "to", part->to);
    key_string(w, "sequence", part->sequence);
    key_int(w, "index", part->index);
    key_int(w, "count", part->count);
    w.EndObject();
  } else {
    w.Null();
  }
  key_string(w, "script_sha256", result.script_sha256);
  w.Key("start_at_unix_ms");
  if (result.start_at_unix_ms)
    w.Int64(*result.start_at_unix_ms);
  else
    w.Null();

  w.Key("options");
  rapidjson::Document options;
  if (!parse_json_bounded(result.options_json, options, nullptr))
    w.Null();
  else
    options.Accept(w);

  w.Key("scenarios");
  w.StartArray();
  for (const auto& s : result.scenarios) {
    w.StartObject();
    key_string(w, "name", s.name.c_str());
    key_string(w, "executor", s.executor.c_str());
    key_string(w, "description", s.description.c_str());
    key_string(w, "exec", s.exec.c_str());
    key_int(w, "vus", s.vus);
    key_int(w, "iterations", s.iterations);
    key_number(w, "duration_seconds", s.duration);
    key_number(w, "max_duration_seconds", s.max_duration);
    key_number(w, "start_time_seconds", s.start_time);
    key_number(w, "graceful_stop_seconds", s.graceful_stop);
    key_string(w, "load", load_shape_name(s.load));
    key_int(w, "start_target", s.start_target);
    key_int(w, "iterations_completed", s.iterations_completed);
    key_int(w, "iterations_interrupted", s.iterations_interrupted);
    w.Key("stages");
    w.StartArray();
    for (const auto& [seconds, target] : s.stages) {
      w.StartObject();
      key_number(w, "duration_seconds", seconds);
      key_int(w, "target", target);
      w.EndObject();
    }
    w.EndArray();
    w.Key("breaking_point");
    w.StartObject();
    key_number(w, "p95_ms", s.breaking_p95_ms);
    key_number(w, "error_rate", s.breaking_error_rate);
    w.EndObject();
    w.Key("tags");
    w.StartObject();
    for (const auto& [key, value] : s.tags) {
      w.Key(key.c_str());
      w.String(value.c_str());
    }
    w.EndObject();
    w.EndObject();
  }
  w.EndArray();

  write_metrics(w, result);

  w.Key("checks");
  w.StartArray();
  for (const auto& check : check_stats(result)) {
    w.StartObject();
    key_string(w, "group", check.group.c_str());
    key_string(w, "name", check.name.c_str());
    key_uint(w, "passes", check.passes);
    key_uint(w, "fails", check.fails);
    w.EndObject();
  }
  w.EndArray();

  write_time_series(w, result);
  write_detail_series(w, result);

  w.Key("errors");
  w.StartArray();
  for (const ScriptErrorCount& error : result.script_errors) {
    w.StartObject();
    key_string(w, "message", error.message.c_str());
    key_string(w, "location", error.location().c_str());
    key_string(w, "phase", error.phase.c_str());
    key_string(w, "kind", error.deliberate ? "fail" : "error");
    key_uint(w, "count", error.count);
    w.EndObject();
  }
  w.EndArray();
  w.Key("failures");
  w.StartArray();
  for (const FailureCount& row : result.failures) {
    w.StartObject();
    key_string(w, "method", row.method);
    key_string(w, "endpoint", row.endpoint);
    key_int(w, "status", row.status);
    key_int(w, "error_code", row.error_code);
    key_string(w, "message", row.message);
    key_uint(w, "count", row.count);
    w.EndObject();
  }
  w.EndArray();
  key_uint(w, "failures_unlisted", result.failures_unlisted);
  key_uint(w, "overflowed_tag_sets", result.overflowed_tag_sets);
  key_uint(w, "dropped_samples", result.dropped_samples);
  w.Key("slos");
  write_slo_report(w, result.slo);
  write_findings(w, result.findings);
  write_monitor(w, result.monitor);
  w.EndObject();
  return std::string(buffer.GetString(), buffer.GetSize());
}

bool write_result_file(const RunResult& result, const std::string& path, std::string* error) {
  return write_text_file(path, result_to_json(result) + "\n", error);
}

}  // namespace lueng::result
