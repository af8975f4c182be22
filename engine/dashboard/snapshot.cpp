#include "engine/dashboard/snapshot.hpp"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <cmath>

#include "engine/analysis/findings.hpp"
#include "engine/analysis/key_metrics.hpp"
#include "engine/result/views.hpp"

namespace lueng::dashboard {

namespace {

using Writer = rapidjson::Writer<rapidjson::StringBuffer>;

void number(Writer& w, const char* key, double value) {
  w.Key(key);
  w.Double(std::isfinite(value) ? value : 0);
}

void count(Writer& w, const char* key, uint64_t value) {
  w.Key(key);
  w.Uint64(value);
}

void totals(Writer& w, const result::RunResult& result) {
  analysis::KeyMetrics k = analysis::key_metrics(result);
  w.Key("totals");
  w.StartObject();
  count(w, "requests", k.requests);
  number(w, "request_rate", k.request_rate);
  count(w, "failed", k.failed);
  number(w, "error_rate", k.error_rate);
  number(w, "p50", k.duration_p50);
  number(w, "p95", k.duration_p95);
  number(w, "p99", k.duration_p99);
  number(w, "avg", k.duration_avg);
  number(w, "max", k.duration_max);
  count(w, "iterations", k.iterations);
  count(w, "checks_passed", k.checks_passed);
  count(w, "checks_failed", k.checks_failed);
  number(w, "vus", result.time_series.empty() ? 0 : result.time_series.back().vus);
  number(w, "vus_max", k.vus_max);
  w.EndObject();
}

// [second, requests, failed, vus, p50, p95, p99] per second: compact, as the
// charts read them.
void series(Writer& w, const result::RunResult& result) {
  w.Key("series");
  w.StartArray();
  const auto& points = result.time_series;
  size_t first = points.size() > kSeriesSeconds ? points.size() - kSeriesSeconds : 0;
  for (size_t i = first; i < points.size(); ++i) {
    const result::TimePoint& p = points[i];
    w.StartArray();
    w.Int64(p.second);
    w.Uint64(p.requests);
    w.Uint64(p.failed);
    w.Double(p.vus);
    w.Double(p.duration_p50);
    w.Double(p.duration_p95);
    w.Double(p.duration_p99);
    w.EndArray();
  }
  w.EndArray();
}

void endpoints(Writer& w, const result::RunResult& result) {
  w.Key("endpoints");
  w.StartArray();
  for (const auto& e : result::endpoint_stats(result, result::EndpointKey::kEndpoint)) {
    w.StartObject();
    w.Key("method");
    w.String(e.method.c_str());
    w.Key("name");
    w.String(e.name.c_str());
    count(w, "requests", e.requests);
    count(w, "failed", e.failures);
    number(w, "p50", e.duration.percentile(50));
    number(w, "p95", e.duration.percentile(95));
    number(w, "p99", e.duration.percentile(99));
    w.EndObject();
  }
  w.EndArray();
}

void slos(Writer& w, const result::RunResult& result) {
  w.Key("slos");
  w.StartArray();
  for (const auto& r : result.slo.results) {
    w.StartObject();
    w.Key("metric");
    w.String(r.slo.selector.text.c_str());
    w.Key("threshold");
    w.String(r.slo.threshold.text.c_str());
    count(w, "window", static_cast<uint64_t>(std::max<int64_t>(0, r.slo.window)));
    w.Key("priority");
    w.String(thresholds::priority_name(r.slo.priority));
    w.Key("status");
    w.String(thresholds::status_name(r.status));
    number(w, "value", r.value);
    w.EndObject();
  }
  w.EndArray();
  w.Key("verdict");
  w.String(result.slo.verdict.c_str());
}

void findings(Writer& w, const result::RunResult& result) {
  w.Key("findings");
  w.StartArray();
  const result::Findings& f = result.findings;
  for (const auto& x : f.breaking_points) w.String(analysis::describe(x).c_str());
  for (const auto& x : f.recoveries) w.String(analysis::describe(x).c_str());
  for (const auto& x : f.drifts) w.String(analysis::describe(x).c_str());
  if (f.generator) w.String(analysis::describe(*f.generator).c_str());
  w.EndArray();
}

}  // namespace

std::string snapshot_json(const result::RunResult& result, bool final) {
  rapidjson::StringBuffer buffer;
  Writer w(buffer);
  w.StartObject();
  w.Key("final");
  w.Bool(final);
  number(w, "elapsed", result.duration_seconds);
  w.Key("interrupted");
  w.Bool(result.interrupted);
  totals(w, result);
  series(w, result);
  endpoints(w, result);
  slos(w, result);
  findings(w, result);
  w.EndObject();
  return buffer.GetString();
}

}  // namespace lueng::dashboard
