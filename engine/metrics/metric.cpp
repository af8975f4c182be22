#include "engine/metrics/metric.hpp"

namespace lueng::metrics {

const char* metric_type_name(MetricType type) {
  switch (type) {
    case MetricType::kCounter:
      return "counter";
    case MetricType::kGauge:
      return "gauge";
    case MetricType::kRate:
      return "rate";
    case MetricType::kTrend:
      return "trend";
  }
  return "?";
}

std::optional<MetricType> parse_metric_type(std::string_view name) {
  if (name == "counter") return MetricType::kCounter;
  if (name == "gauge") return MetricType::kGauge;
  if (name == "rate") return MetricType::kRate;
  if (name == "trend") return MetricType::kTrend;
  return std::nullopt;
}

MetricCatalog::MetricCatalog() {
  using enum MetricType;
  defs_ = {
      {"http_reqs", kCounter, false},
      {"http_req_duration", kTrend, true},
      {"http_req_blocked", kTrend, true},
      {"http_req_connecting", kTrend, true},
      {"http_req_tls_handshaking", kTrend, true},
      {"http_req_sending", kTrend, true},
      {"http_req_waiting", kTrend, true},
      {"http_req_receiving", kTrend, true},
      {"http_req_failed", kRate, false},
      {"iterations", kCounter, false},
      {"iteration_duration", kTrend, true},
      {"dropped_iterations", kCounter, false},
      {"vus", kGauge, false},
      {"vus_max", kGauge, false},
      {"data_sent", kCounter, false},
      {"data_received", kCounter, false},
      {"checks", kRate, false},
      {"group_duration", kTrend, true},
      {"iteration_start_lag", kTrend, true},
      {"script_errors", kCounter, false},
  };
}

std::optional<MetricId> MetricCatalog::add(std::string_view name, MetricType type, bool is_time,
                                           std::string* error) {
  if (!is_valid_metric_name(name)) {
    if (error)
      *error = "invalid metric name '" + std::string(name) +
               "': use letters, digits and '_', starting with a letter or '_', 2 to 129 "
               "characters (k6's rule)";
    return std::nullopt;
  }
  if (auto existing = find(name)) {
    const MetricDef& def = defs_[*existing];
    if (def.type == type && def.is_time == is_time) return existing;
    if (error)
      *error =
          "metric '" + std::string(name) + "' already exists as a " + metric_type_name(def.type);
    return std::nullopt;
  }
  defs_.push_back({std::string(name), type, is_time});
  return static_cast<MetricId>(defs_.size() - 1);
}

std::optional<MetricId> MetricCatalog::find(std::string_view name) const {
  for (size_t i = 0; i < defs_.size(); ++i)
    if (defs_[i].name == name) return static_cast<MetricId>(i);
  return std::nullopt;
}

bool is_valid_metric_name(std::string_view name) {
  if (name.size() < 2 || name.size() > 129) return false;
  auto letter = [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; };
  if (!letter(name[0])) return false;
  for (char c : name)
    if (!letter(c) && !(c >= '0' && c <= '9')) return false;
  return true;
}

}  // namespace lueng::metrics
