#include "engine/result/monitor_json.hpp"

#include <cmath>

#include "engine/metrics/tags.hpp"

namespace lueng::result {

namespace {

void write_tag_object(JsonWriter& w, std::string_view encoded) {
  w.StartObject();
  metrics::for_each_tag(encoded, [&](std::string_view key, std::string_view value) {
    w.Key(key.data(), static_cast<rapidjson::SizeType>(key.size()));
    w.String(value.data(), static_cast<rapidjson::SizeType>(value.size()));
  });
  w.EndObject();
}

const rapidjson::Value* member(const rapidjson::Value& object, const char* key) {
  auto it = object.FindMember(key);
  return it == object.MemberEnd() ? nullptr : &it->value;
}

std::string text(const rapidjson::Value& object, const char* key) {
  const rapidjson::Value* value = member(object, key);
  return value && value->IsString() ? std::string(value->GetString(), value->GetStringLength())
                                    : std::string();
}

double number(const rapidjson::Value& object, const char* key) {
  const rapidjson::Value* value = member(object, key);
  return value && value->IsNumber() && std::isfinite(value->GetDouble()) ? value->GetDouble() : 0;
}

uint64_t count(const rapidjson::Value& object, const char* key) {
  double value = number(object, key);
  return value > 0 && value < 0x1p63 ? static_cast<uint64_t>(value) : 0;
}

}  // namespace

void write_monitor(JsonWriter& w, const MonitorResult& monitor) {
  if (monitor.empty()) return;
  w.Key("monitor");
  w.StartObject();
  key_number(w, "interval_seconds", monitor.interval_seconds);
  key_number(w, "warmup_seconds", monitor.warmup_seconds);
  w.Key("sources");
  w.StartArray();
  for (const MonitorSource& s : monitor.sources) {
    w.StartObject();
    key_string(w, "url", s.url);
    key_string(w, "source", s.source);
    key_uint(w, "scrapes", s.scrapes);
    key_uint(w, "errors", s.errors);
    key_string(w, "first_error", s.first_error);
    w.EndObject();
  }
  w.EndArray();
  w.Key("series");
  w.StartArray();
  for (const MonitorSeries& s : monitor.series) {
    w.StartObject();
    key_string(w, "metric", s.metric);
    key_string(w, "scraped", s.scraped);
    w.Key("tags");
    write_tag_object(w, s.tags);
    if (s.has_baseline) {
      key_number(w, "baseline", s.baseline);
      key_number(w, "growth_percent", s.growth_percent);
    }
    w.Key("points");
    w.StartArray();
    for (const auto& [second, value] : s.points) {
      w.StartArray();
      w.Double(second);
      w.Double(value);
      w.EndArray();
    }
    w.EndArray();
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
}

void read_monitor(
    const rapidjson::Value& object, MonitorResult& monitor,
    const std::function<void(const std::string& where, const std::string& what)>& fail) {
  if (!object.IsObject()) fail("monitor", "must be an object");
  monitor.interval_seconds = number(object, "interval_seconds");
  monitor.warmup_seconds = number(object, "warmup_seconds");
  if (const auto* sources = member(object, "sources"); sources && sources->IsArray())
    for (const auto& s : sources->GetArray()) {
      if (!s.IsObject()) fail("monitor.sources", "must hold objects");
      MonitorSource& source = monitor.sources.emplace_back();
      source.url = text(s, "url");
      source.source = text(s, "source");
      source.scrapes = count(s, "scrapes");
      source.errors = count(s, "errors");
      source.first_error = text(s, "first_error");
    }
  if (const auto* series = member(object, "series"); series && series->IsArray())
    for (const auto& s : series->GetArray()) {
      if (!s.IsObject()) fail("monitor.series", "must hold objects");
      MonitorSeries& one = monitor.series.emplace_back();
      one.metric = text(s, "metric");
      one.scraped = text(s, "scraped");
      std::vector<std::pair<std::string, std::string>> tags;
      if (const auto* t = member(s, "tags"); t && t->IsObject())
        for (const auto& tag : t->GetObject())
          if (tag.value.IsString()) tags.emplace_back(tag.name.GetString(), tag.value.GetString());
      one.tags = metrics::encode_tags(tags);
      if (const auto* baseline = member(s, "baseline"); baseline && baseline->IsNumber()) {
        one.has_baseline = true;
        one.baseline = number(s, "baseline");
        one.growth_percent = number(s, "growth_percent");
      }
      if (const auto* points = member(s, "points"); points && points->IsArray())
        for (const auto& p : points->GetArray()) {
          if (!p.IsArray() || p.Size() != 2 || !p[0].IsNumber() || !p[1].IsNumber())
            fail("monitor.series.points", "must hold [second, value] pairs");
          if (one.points.size() < kMonitorMaxPoints)
            one.points.emplace_back(p[0].GetDouble(), p[1].GetDouble());
        }
    }
}

}  // namespace lueng::result
