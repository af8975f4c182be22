#include "engine/result/slo_json.hpp"

#include "engine/result/json_fields.hpp"

namespace lueng::result {

namespace {

void write_result(JsonWriter& w, const thresholds::SloResult& r) {
  const thresholds::SloDefinition& slo = r.slo;
  w.StartObject();
  key_string(w, "slo", slo.selector.text);
  key_string(w, "where", slo.where);
  key_string(w, "metric", slo.selector.metric);
  key_string(w, "metric_type", metrics::metric_type_name(slo.metric.type));
  key_bool(w, "is_time", slo.metric.is_time);
  w.Key("tags");
  w.StartObject();
  for (const auto& [key, value] : slo.selector.tags) {
    w.Key(key.c_str());
    w.String(value.c_str());
  }
  w.EndObject();
  key_string(w, "expression", slo.threshold.text);
  w.Key("warn");
  if (slo.warn)
    w.String(slo.warn->text.c_str());
  else
    w.Null();
  key_string(w, "priority", thresholds::priority_name(slo.priority));
  key_bool(w, "abort_on_fail", slo.abort_on_fail);
  key_number(w, "delay_abort_eval_seconds", slo.delay_abort_eval);
  key_string(w, "description", slo.description);
  key_bool(w, "allow_empty", slo.allow_empty);
  key_int(w, "window_seconds", slo.window);
  key_string(w, "status", thresholds::status_name(r.status));
  key_uint(w, "samples", r.samples);
  bool measured = r.status != thresholds::SloStatus::kNoData;  // an event counter's 0 is
  key_optional(w, "value", measured ? std::optional<double>(r.value) : std::nullopt);
  key_optional(w, "warn_value", measured ? r.warn_value : std::nullopt);
  key_optional(w, "deviation_percent", measured ? r.deviation_percent : std::nullopt);
  w.Key("worst_window");
  if (r.worst_window) {
    w.StartObject();
    key_int(w, "from_second", r.worst_window->from);
    key_int(w, "to_second", r.worst_window->to);
    key_uint(w, "windows", r.worst_window->windows);
    key_uint(w, "missed", r.worst_window->missed);
    w.EndObject();
  } else {
    w.Null();
  }
  w.Key("recommendations");
  w.StartArray();
  for (const auto& advice : r.recommendations) w.String(advice.c_str());
  w.EndArray();
  w.EndObject();
}

}  // namespace

void write_slo_report(JsonWriter& w, const thresholds::SloReport& report) {
  w.StartObject();
  key_string(w, "verdict", report.verdict);
  key_int(w, "exit_code", report.exit_code);
  key_number(w, "compliance_percent", report.compliance);
  key_string(w, "rating", report.rating);
  key_uint(w, "met", report.met);
  key_uint(w, "total", report.results.size());
  key_bool(w, "strict", report.strict);
  key_string(w, "aborted_by", report.aborted_by);
  w.Key("results");
  w.StartArray();
  for (const auto& r : report.results) write_result(w, r);
  w.EndArray();
  w.EndObject();
}

std::string slo_report_to_json(const thresholds::SloReport& report) {
  rapidjson::StringBuffer buffer;
  JsonWriter w(buffer);
  w.SetIndent(' ', 2);
  write_slo_report(w, report);
  return std::string(buffer.GetString(), buffer.GetSize()) + "\n";
}

}  // namespace lueng::result
