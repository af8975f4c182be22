#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace lueng::metrics {

enum class MetricType : uint8_t { kCounter, kGauge, kRate, kTrend };

const char* metric_type_name(MetricType type);  // "counter", "gauge", "rate", "trend"
std::optional<MetricType> parse_metric_type(std::string_view name);

using MetricId = uint32_t;

struct MetricDef {
  std::string name;
  MetricType type = MetricType::kCounter;
  bool is_time = false;  // trend values are milliseconds (formatted as durations)
};

// Ids of the built-in metrics; the catalog registers them first, in this order.
namespace builtin {
enum : MetricId {
  kHttpReqs,
  kHttpReqDuration,
  kHttpReqBlocked,
  kHttpReqConnecting,
  kHttpReqTlsHandshaking,
  kHttpReqSending,
  kHttpReqWaiting,
  kHttpReqReceiving,
  kHttpReqFailed,
  kIterations,
  kIterationDuration,
  kDroppedIterations,
  kVus,
  kVusMax,
  kDataSent,
  kDataReceived,
  kChecks,
  kGroupDuration,
  kIterationStartLag,
  kScriptErrors,
  kCount
};
}  // namespace builtin

// Every metric of a run. Built before the workers start and read-only afterwards,
// so workers share it without locks.
class MetricCatalog {
 public:
  MetricCatalog();

  // Registers a custom metric, or returns the id of an identical existing one.
  // Nothing (and *error set) when the name is invalid or taken with another type.
  std::optional<MetricId> add(std::string_view name, MetricType type, bool is_time,
                              std::string* error);
  std::optional<MetricId> find(std::string_view name) const;
  const MetricDef& def(MetricId id) const { return defs_[id]; }
  size_t size() const { return defs_.size(); }

 private:
  std::vector<MetricDef> defs_;
};

// k6's rule (metrics/registry.go, ^[a-zA-Z_][a-zA-Z0-9_]{1,128}$): ASCII letters,
// digits and underscores, starting with a letter or underscore, 2 to 129 characters.
bool is_valid_metric_name(std::string_view name);

}  // namespace lueng::metrics
