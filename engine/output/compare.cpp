#include "engine/output/compare.hpp"

#include <algorithm>
#include <cmath>
#include <map>

#include <fmt/format.h>
#include <rapidjson/prettywriter.h>
#include <rapidjson/stringbuffer.h>

#include "engine/output/format.hpp"
#include "engine/output/key_metrics.hpp"
#include "engine/output/views.hpp"

namespace lueng::output {

namespace {

constexpr double kErrorRateFloor = 0.001;  // 0.1 percentage point

enum class Better { kLower, kHigher, kNeither };

// "http://127.0.0.1:8000/api?x" -> "/api?x": the same endpoint on another host.
std::string endpoint_key(const EndpointStats& e) {
  std::string name = e.name;
  size_t scheme = name.find("://");
  if (scheme != std::string::npos && name.find_first_of("/?#") >= scheme) {
    size_t path = name.find_first_of("/?#", scheme + 3);
    name = path == std::string::npos ? "/" : name.substr(path);
  }
  return e.method + " " + name;
}

struct Side {
  uint64_t requests = 0, failed = 0;
  double rate = 0, avg = 0, p50 = 0, p90 = 0, p95 = 0, p99 = 0, max = 0;
};

Side side_of(const KeyMetrics& k) {
  return {k.requests,     k.failed,       k.request_rate, k.duration_avg, k.duration_p50,
          k.duration_p90, k.duration_p95, k.duration_p99, k.duration_max};
}

Side side_of(const EndpointStats& e, double seconds) {
  const metrics::Histogram& h = e.duration;
  return {e.requests,       e.failures,       e.requests / seconds, h.mean(), h.percentile(50),
          h.percentile(90), h.percentile(95), h.percentile(99),     h.max()};
}

void add_row(Comparison& c, const std::string& endpoint, const std::string& metric, double base,
             double current, Better better, bool is_time, bool is_ratio) {
  ComparisonRow row;
  row.endpoint = endpoint;
  row.metric = metric;
  row.is_time = is_time;
  row.is_ratio = is_ratio;
  row.baseline = base;
  row.current = current;
  if (base != 0) row.delta_percent = (current - base) / std::fabs(base) * 100;
  row.gated = better != Better::kNeither;
  double tolerance = c.tolerance_percent / 100;
  if (better == Better::kLower) {
    bool worse = current > base * (1 + tolerance);
    if (is_ratio) worse = worse && current - base >= kErrorRateFloor;
    row.regression = worse && current > 0;
  } else if (better == Better::kHigher) {
    row.regression = current < base * (1 - tolerance);
  }
  c.rows.push_back(row);
}

void compare_sides(Comparison& c, const std::string& endpoint, const Side& b, const Side& k) {
  double b_errors = b.requests ? static_cast<double>(b.failed) / b.requests : 0;
  double k_errors = k.requests ? static_cast<double>(k.failed) / k.requests : 0;
  add_row(c, endpoint, "requests", static_cast<double>(b.requests), static_cast<double>(k.requests),
          Better::kNeither, false, false);
  add_row(c, endpoint, "req/s", b.rate, k.rate, Better::kHigher, false, false);
  add_row(c, endpoint, "error rate", b_errors, k_errors, Better::kLower, false, true);
  add_row(c, endpoint, "avg", b.avg, k.avg, Better::kNeither, true, false);
  add_row(c, endpoint, "p(50)", b.p50, k.p50, Better::kLower, true, false);
  add_row(c, endpoint, "p(90)", b.p90, k.p90, Better::kLower, true, false);
  add_row(c, endpoint, "p(95)", b.p95, k.p95, Better::kLower, true, false);
  add_row(c, endpoint, "p(99)", b.p99, k.p99, Better::kLower, true, false);
  add_row(c, endpoint, "max", b.max, k.max, Better::kNeither, true, false);
}

std::map<std::string, EndpointStats> by_endpoint(const RunResult& result) {
  std::map<std::string, EndpointStats> out;
  for (const auto& e : endpoint_stats(result)) {
    EndpointStats& into = out[endpoint_key(e)];
    into.requests += e.requests;
    into.failures += e.failures;
    into.duration.merge(e.duration);
  }
  return out;
}

std::string value_text(const ComparisonRow& row, double value) {
  if (row.is_time) return format_ms(value);
  if (row.is_ratio) return format_percent(value);
  return format_number(std::round(value * 100) / 100);
}

std::string delta_text(const ComparisonRow& row) {
  if (!row.delta_percent) return row.current == row.baseline ? "0.0%" : "new";
  return fmt::format("{:+.1f}%", *row.delta_percent);
}

std::string verdict_text(const Comparison& c) {
  size_t n = 0;
  for (const auto& row : c.rows) n += row.regression;
  return n ? fmt::format("REGRESSION: {} value{} worse than the baseline by more than {:g}%", n,
                         n == 1 ? "" : "s", c.tolerance_percent)
           : fmt::format("no regression (tolerance {:g}%)", c.tolerance_percent);
}

}  // namespace

bool Comparison::regressed() const {
  return std::any_of(rows.begin(), rows.end(), [](const auto& row) { return row.regression; });
}

Comparison compare_runs(const RunResult& baseline, const RunResult& current,
                        double tolerance_percent) {
  Comparison c;
  c.tolerance_percent = tolerance_percent;
  compare_sides(c, "", side_of(key_metrics(baseline)), side_of(key_metrics(current)));
  double b_seconds = baseline.duration_seconds > 0 ? baseline.duration_seconds : 1;
  double k_seconds = current.duration_seconds > 0 ? current.duration_seconds : 1;
  std::map<std::string, EndpointStats> base_endpoints = by_endpoint(baseline);
  std::map<std::string, EndpointStats> current_endpoints = by_endpoint(current);
  for (const auto& [key, b] : base_endpoints) {
    auto it = current_endpoints.find(key);
    if (it == current_endpoints.end()) {
      c.only_in_baseline.push_back(key);
      continue;
    }
    compare_sides(c, key, side_of(b, b_seconds), side_of(it->second, k_seconds));
  }
  for (const auto& [key, e] : current_endpoints)
    if (!base_endpoints.count(key)) c.only_in_current.push_back(key);
  return c;
}

std::string render_comparison_console(const Comparison& c, const std::string& baseline_name,
                                      const std::string& current_name) {
  std::string out =
      fmt::format("\n     baseline: {}\n     current:  {}\n", baseline_name, current_name);
  std::string endpoint = "\x01";
  for (const auto& row : c.rows) {
    if (row.endpoint != endpoint) {
      endpoint = row.endpoint;
      out += fmt::format("\n     {}\n       {:<12} {:>12} {:>12} {:>9}\n",
                         endpoint.empty() ? "all requests" : endpoint, "metric", "baseline",
                         "current", "delta");
    }
    out += fmt::format("       {:<12} {:>12} {:>12} {:>9} {}\n", row.metric,
                       value_text(row, row.baseline), value_text(row, row.current), delta_text(row),
                       row.regression ? "✗ REGRESSION" : "");
  }
  for (const auto& key : c.only_in_baseline) out += "\n     only in the baseline: " + key;
  for (const auto& key : c.only_in_current) out += "\n     only in the current run: " + key;
  return out + "\n\n     " + verdict_text(c) + "\n";
}

std::string render_comparison_markdown(const Comparison& c, const std::string& baseline_name,
                                       const std::string& current_name) {
  auto code = [](std::string text) {
    std::replace(text.begin(), text.end(), '`', '\'');
    std::string out;
    for (char ch : text) out += ch == '|' ? std::string("\\|") : std::string(1, ch);
    return "`" + out + "`";
  };
  std::string out =
      fmt::format("## {} {}\n\nBaseline {} vs current {}\n\n", c.regressed() ? "❌" : "✅",
                  verdict_text(c), code(baseline_name), code(current_name));
  out += "| endpoint | metric | baseline | current | delta | |\n|---|---|---:|---:|---:|---|\n";
  for (const auto& row : c.rows)
    out += fmt::format("| {} | {} | {} | {} | {} | {} |\n",
                       row.endpoint.empty() ? "all requests" : code(row.endpoint), row.metric,
                       value_text(row, row.baseline), value_text(row, row.current), delta_text(row),
                       row.regression ? "✗ regression" : "");
  for (const auto& key : c.only_in_baseline) out += "\nOnly in the baseline: " + code(key) + "\n";
  for (const auto& key : c.only_in_current) out += "\nOnly in the current run: " + code(key) + "\n";
  return out;
}

std::string render_comparison_json(const Comparison& c, const std::string& baseline_name,
                                   const std::string& current_name) {
  rapidjson::StringBuffer buffer;
  rapidjson::PrettyWriter<rapidjson::StringBuffer> w(buffer);
  w.SetIndent(' ', 2);
  w.StartObject();
  w.Key("baseline");
  w.String(baseline_name.c_str());
  w.Key("current");
  w.String(current_name.c_str());
  w.Key("tolerance_percent");
  w.Double(c.tolerance_percent);
  w.Key("regression");
  w.Bool(c.regressed());
  w.Key("rows");
  w.StartArray();
  for (const auto& row : c.rows) {
    w.StartObject();
    w.Key("endpoint");
    if (row.endpoint.empty())
      w.Null();
    else
      w.String(row.endpoint.c_str());
    w.Key("metric");
    w.String(row.metric.c_str());
    w.Key("unit");
    w.String(row.is_time ? "ms" : row.is_ratio ? "ratio" : "");
    w.Key("baseline");
    w.Double(row.baseline);
    w.Key("current");
    w.Double(row.current);
    w.Key("delta_percent");
    if (row.delta_percent)
      w.Double(*row.delta_percent);
    else
      w.Null();
    w.Key("gated");
    w.Bool(row.gated);
    w.Key("regression");
    w.Bool(row.regression);
    w.EndObject();
  }
  w.EndArray();
  for (const auto* list : {&c.only_in_baseline, &c.only_in_current}) {
    w.Key(list == &c.only_in_baseline ? "only_in_baseline" : "only_in_current");
    w.StartArray();
    for (const auto& key : *list) w.String(key.c_str());
    w.EndArray();
  }
  w.EndObject();
  return std::string(buffer.GetString(), buffer.GetSize()) + "\n";
}

std::optional<double> parse_tolerance(const std::string& text) {
  std::string number = text;
  if (!number.empty() && number.back() == '%') number.pop_back();
  if (number.empty() || number.find_first_not_of("0123456789.") != std::string::npos)
    return std::nullopt;
  try {
    size_t used = 0;
    double value = std::stod(number, &used);
    if (used != number.size() || value < 0 || value > 1000) return std::nullopt;
    return value;
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

}  // namespace lueng::output
