// --csv PREFIX (or --out locust=PREFIX): Locust's stats, history and failures
// files, so dashboards and scripts built on Locust's CSV read lueng's runs.

#include "engine/report/locust_csv.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <map>
#include <tuple>

#include "engine/common/text_format.hpp"
#include "engine/metrics/tags.hpp"
#include "engine/result/failures.hpp"
#include "engine/result/views.hpp"

namespace lueng::report {

using result::endpoint_stats;
using result::EndpointStats;
using result::kLocustPercentiles;
using result::RunResult;
using result::TimePoint;

namespace {

std::string percentile_headers() {
  std::string out;
  for (double p : kLocustPercentiles) out += fmt::format(",{:g}%", p);
  return out;
}

// Milliseconds and rates with at most three decimals: 12.5, 0.042, 3.
std::string decimal(double value) {
  if (!std::isfinite(value)) value = 0;
  std::string text = fmt::format("{:.3f}", value);
  while (text.back() == '0') text.pop_back();
  if (text.back() == '.') text.pop_back();
  return text == "-0" ? "0" : text;
}

std::string tag(std::string_view tags, std::string_view key) {
  std::string_view value;
  return metrics::find_tag(tags, key, &value) ? std::string(value) : std::string();
}

// Bytes received per (name, method), for Locust's "Average Content Size".
std::map<std::pair<std::string, std::string>, double> received_by_endpoint(
    const RunResult& result) {
  std::map<std::pair<std::string, std::string>, double> out;
  if (const auto* received = result.metrics.find("data_received"))
    for (const auto& [tags, aggregate] : received->by_tags) {
      std::string method = tag(tags, "method");
      if (!method.empty()) out[{tag(tags, "name"), method}] += aggregate.sum;
    }
  return out;
}

void stats_row(std::string& out, std::string_view type, std::string_view name, uint64_t requests,
               uint64_t failures, const metrics::Histogram& duration, double received,
               double seconds) {
  append_csv_field(out, type);
  out += ',';
  append_csv_field(out, name);
  double per_second = seconds > 0 ? 1 / seconds : 0;
  out += fmt::format(",{},{},{},{},{},{},{},{},{}", requests, failures,
                     decimal(duration.percentile(50)), decimal(duration.mean()),
                     decimal(duration.min()), decimal(duration.max()),
                     decimal(requests ? received / static_cast<double>(requests) : 0),
                     decimal(static_cast<double>(requests) * per_second),
                     decimal(static_cast<double>(failures) * per_second));
  for (double p : kLocustPercentiles)
    out += requests ? "," + decimal(duration.percentile(p)) : std::string(",N/A");
  out += '\n';
}

}  // namespace

std::string locust_stats_csv(const RunResult& result) {
  std::string out =
      "Type,Name,Request Count,Failure Count,Median Response Time,Average Response Time,"
      "Min Response Time,Max Response Time,Average Content Size,Requests/s,Failures/s" +
      percentile_headers() + "\n";
  auto received = received_by_endpoint(result);
  metrics::Histogram all;
  uint64_t requests = 0, failures = 0;
  double all_received = 0;
  for (const EndpointStats& endpoint : endpoint_stats(result)) {
    double bytes = received[{endpoint.name, endpoint.method}];
    stats_row(out, endpoint.method, endpoint.name, endpoint.requests, endpoint.failures,
              endpoint.duration, bytes, result.duration_seconds);
    all.merge(endpoint.duration);
    requests += endpoint.requests;
    failures += endpoint.failures;
    all_received += bytes;
  }
  stats_row(out, "", "Aggregated", requests, failures, all, all_received, result.duration_seconds);
  return out;
}

std::string locust_history_csv(const RunResult& result) {
  std::string out = "Timestamp,User Count,Type,Name,Requests/s,Failures/s" + percentile_headers() +
                    ",Total Request Count,Total Failure Count,Total Median Response Time,"
                    "Total Average Response Time,Total Min Response Time,Total Max Response "
                    "Time,Total Average Content Size\n";
  uint64_t requests = 0, failures = 0;
  double received = 0;
  for (const TimePoint& p : result.time_series) {
    requests += p.requests;
    failures += p.failed;
    received += p.data_received;
    // A row describes one second and is stamped at its end, as Locust stamps its rows.
    int64_t timestamp = (result.start_unix_ms + (p.second + 1) * 1000) / 1000;
    out += fmt::format("{},{},,Aggregated,{},{}", timestamp, decimal(p.vus), p.requests, p.failed);
    // Locust's Aggregated history row carries the percentiles of the run so far.
    for (double value : p.total_percentiles)
      out += requests ? "," + decimal(value) : std::string(",N/A");
    out +=
        fmt::format(",{},{},{},{},{},{},{}\n", requests, failures, decimal(p.total_percentiles[0]),
                    decimal(p.total_avg), decimal(p.total_min), decimal(p.total_max),
                    decimal(requests ? received / static_cast<double>(requests) : 0));
  }
  return out;
}

std::string locust_failures_csv(const RunResult& result) {
  // Locust's rows go by the name tag, as its stats file; the error is the failure's
  // kind (the reports' failures table adds the first message).
  auto rows = result::failures_from_metrics(result, result::EndpointKey::kName);
  std::stable_sort(rows.begin(), rows.end(), [](const auto& a, const auto& b) {
    return std::tie(a.method, a.endpoint, a.message) < std::tie(b.method, b.endpoint, b.message);
  });
  std::string out = "Method,Name,Error,Occurrences\n";
  for (const auto& row : rows) {
    append_csv_field(out, row.method);
    out += ',';
    append_csv_field(out, row.endpoint);
    out += ',';
    append_csv_field(out, row.message);
    out += fmt::format(",{}\n", row.count);
  }
  return out;
}

}  // namespace lueng::report
