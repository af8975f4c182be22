#include "engine/result/detail_series_json.hpp"

#include <cmath>

#include <fmt/format.h>

namespace lueng::result {

namespace {

using Fail = std::function<void(const std::string& where, const std::string& what)>;

constexpr double kLargest = 1e100;
constexpr uint64_t kLargestCount = uint64_t{1} << 53;

// A field of a point or a series, checked as the rest of the result file is:
// a wrong type names where it is, and absent numbers are 0.
class Fields {
 public:
  Fields(const rapidjson::Value& object, std::string where, const Fail& fail)
      : object_(object), where_(std::move(where)), fail_(fail) {
    if (!object.IsObject()) fail_(where_, "must be an object");
  }

  const rapidjson::Value* member(const char* key) const {
    auto it = object_.FindMember(key);
    return it == object_.MemberEnd() ? nullptr : &it->value;
  }
  std::string text(const char* key) const {
    const rapidjson::Value* value = member(key);
    if (!value || !value->IsString()) {
      fail_(where_ + "." + key, "must be a string");
      return {};
    }
    return {value->GetString(), value->GetStringLength()};
  }
  double number(const char* key) const {
    const rapidjson::Value* value = member(key);
    if (!value) return 0;
    // Bounded so that merging (sums of value x count) stays finite.
    if (!value->IsNumber() || !(std::fabs(value->GetDouble()) <= kLargest))
      fail_(where_ + "." + key, "must be a number of a sensible size");
    return value->GetDouble();
  }
  uint64_t count(const char* key) const {
    const rapidjson::Value* value = member(key);
    if (!value) return 0;
    if (!value->IsUint64() || value->GetUint64() > kLargestCount)
      fail_(where_ + "." + key, "must be a whole number >= 0 of a sensible size");
    return value->GetUint64();
  }
  int64_t second() const {
    const rapidjson::Value* value = member("t");
    if (!value || !value->IsInt64() || value->GetInt64() < 0) {
      fail_(where_ + ".t", "must be a whole number of seconds >= 0");
      return 0;
    }
    return value->GetInt64();
  }
  const rapidjson::Value& list(const char* key) const {
    const rapidjson::Value* value = member(key);
    static const rapidjson::Value empty(rapidjson::kArrayType);
    if (!value || !value->IsArray()) {
      fail_(where_ + "." + key, "must be a list");
      return empty;
    }
    return *value;
  }
  const std::string& where() const { return where_; }

 private:
  const rapidjson::Value& object_;
  std::string where_;
  const Fail& fail_;
};

// A series' points, each read by `read(fields, point)` after its `t`: in time
// order, each second once, which the charts and merge expect.
template <typename Point, typename Read>
void read_points(const Fields& series, std::vector<Point>& out, const Fail& fail, Read read) {
  const rapidjson::Value& points = series.list("points");
  int64_t previous = -1;
  for (rapidjson::SizeType k = 0; k < points.Size(); ++k) {
    Fields p(points[k], fmt::format("{}.points[{}]", series.where(), k), fail);
    Point& point = out.emplace_back();
    point.second = p.second();
    if (point.second <= previous) fail(p.where() + ".t", "must be later than the point before it");
    previous = point.second;
    read(p, point);
  }
}

void read_endpoints(const rapidjson::Value& list, RunResult& result, const Fail& fail) {
  if (!list.IsArray()) fail("endpoint_series", "must be a list");
  for (rapidjson::SizeType i = 0; i < list.Size(); ++i) {
    Fields f(list[i], fmt::format("endpoint_series[{}]", i), fail);
    EndpointSeries& series = result.endpoint_series.emplace_back();
    series.method = f.text("method");
    series.name = f.text("name");
    read_points(f, series.points, fail, [&](const Fields& p, EndpointPoint& point) {
      point.requests = p.count("http_reqs");
      point.failed = p.count("http_req_failed");
      if (point.failed > point.requests)
        fail(p.where() + ".http_req_failed", "must not exceed http_reqs");
      point.avg = p.number("avg");
      point.p95 = p.number("p(95)");
      point.p99 = p.number("p(99)");
      point.max = p.number("max");
    });
  }
}

void read_metrics(const rapidjson::Value& list, RunResult& result, const Fail& fail) {
  if (!list.IsArray()) fail("metric_series", "must be a list");
  for (rapidjson::SizeType i = 0; i < list.Size(); ++i) {
    Fields f(list[i], fmt::format("metric_series[{}]", i), fail);
    MetricSeries& series = result.metric_series.emplace_back();
    series.name = f.text("name");
    auto type = metrics::parse_metric_type(f.text("type"));
    if (!type) fail(f.where() + ".type", "must be counter, gauge, rate or trend");
    series.type = type.value_or(metrics::MetricType::kCounter);
    series.is_time = f.member("contains") && f.text("contains") == "time";
    read_points(f, series.points, fail, [](const Fields& p, MetricPoint& point) {
      point.count = p.count("count");
      point.value = p.number("value");
      point.p95 = p.number("p(95)");
      point.max = p.number("max");
    });
  }
}

}  // namespace

void write_detail_series(JsonWriter& w, const RunResult& result) {
  w.Key("endpoint_series");
  w.StartArray();
  for (const EndpointSeries& series : result.endpoint_series) {
    w.StartObject();
    key_string(w, "method", series.method);
    key_string(w, "name", series.name);
    w.Key("points");
    w.StartArray();
    for (const EndpointPoint& p : series.points) {
      w.StartObject();
      key_int(w, "t", p.second);
      key_uint(w, "http_reqs", p.requests);
      key_uint(w, "http_req_failed", p.failed);
      key_number(w, "avg", p.avg);
      key_number(w, "p(95)", p.p95);
      key_number(w, "p(99)", p.p99);
      key_number(w, "max", p.max);
      w.EndObject();
    }
    w.EndArray();
    w.EndObject();
  }
  w.EndArray();

  w.Key("metric_series");
  w.StartArray();
  for (const MetricSeries& series : result.metric_series) {
    w.StartObject();
    key_string(w, "name", series.name);
    key_string(w, "type", metrics::metric_type_name(series.type));
    key_string(w, "contains", series.is_time ? "time" : "default");
    w.Key("points");
    w.StartArray();
    for (const MetricPoint& p : series.points) {
      w.StartObject();
      key_int(w, "t", p.second);
      key_uint(w, "count", p.count);
      key_number(w, "value", p.value);
      if (series.type == metrics::MetricType::kTrend) key_number(w, "p(95)", p.p95);
      if (series.type == metrics::MetricType::kTrend || series.type == metrics::MetricType::kGauge)
        key_number(w, "max", p.max);
      w.EndObject();
    }
    w.EndArray();
    w.EndObject();
  }
  w.EndArray();
}

void read_detail_series(const rapidjson::Value& top, RunResult& result, const Fail& fail) {
  if (auto it = top.FindMember("endpoint_series"); it != top.MemberEnd())
    read_endpoints(it->value, result, fail);
  if (auto it = top.FindMember("metric_series"); it != top.MemberEnd())
    read_metrics(it->value, result, fail);
}

}  // namespace lueng::result
