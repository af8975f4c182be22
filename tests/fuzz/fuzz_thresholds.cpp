// Thresholds as scripts, SLO files and result files write them
// (engine/thresholds): one expression ("p(95)<300"), one selector
// ("http_req_duration{status:200}") and, when the input is JSON, a whole
// thresholds table as lua_to_json hands it over, evaluated as `lueng validate`
// does against metrics with a few samples (and windows over a few seconds).
//
// Checked besides crashes: an expression or selector written back as text parses
// to the same thing.
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/common/json_parse.hpp"
#include "engine/metrics/tags.hpp"
#include "engine/thresholds/definitions.hpp"
#include "engine/thresholds/evaluate.hpp"
#include "engine/thresholds/expression.hpp"
#include "engine/thresholds/selector.hpp"

using namespace lueng;
using namespace lueng::thresholds;

namespace {

const metrics::MetricDef kDuration{"http_req_duration", metrics::MetricType::kTrend, true};
const metrics::MetricDef kRequests{"http_reqs", metrics::MetricType::kCounter, false};
const metrics::MetricDef kFailed{"http_req_failed", metrics::MetricType::kRate, false};
const metrics::MetricDef kVus{"vus", metrics::MetricType::kGauge, false};

std::optional<metrics::MetricDef> lookup(std::string_view name) {
  for (const auto* def : {&kDuration, &kRequests, &kFailed, &kVus})
    if (def->name == name) return *def;
  return std::nullopt;
}

const metrics::MetricSet& samples() {
  static const metrics::MetricSet set = [] {
    metrics::MetricSet out;
    for (const auto* def : {&kDuration, &kRequests, &kFailed, &kVus}) {
      metrics::Aggregate a;
      for (double v : {0.0, 1.0, 12.5, 300.0, 1e9}) a.add(def->type, v, 1);
      std::string tags = metrics::encode_tags({{"status", "200"}, {"name", "a"}});
      out.add(*def, tags, a);
      out.add_submetric(*def, metrics::encode_tags({{"status", "200"}}), a);
      out.set_total(*def, a);
    }
    return out;
  }();
  return set;
}

// Per-second values for windowed SLOs: a gap, an empty second, a burst.
std::vector<SecondValue> seconds_of(std::string_view) {
  return {{0, 10, 1, 5}, {1, 0, 0, 0}, {3, 20, 15, 900}, {4, 5, 0, 1e9}};
}

void check_expression(std::string_view text) {
  std::string error;
  auto expression = parse_expression(text, &error);
  if (!expression) return;
  auto again = parse_expression(expression->text, &error);
  if (!again || again->aggregation != expression->aggregation ||
      again->comparison != expression->comparison || again->bound != expression->bound ||
      again->percentile != expression->percentile)
    std::abort();
  (void)expression->aggregation_text();
  for (const auto* def : {&kDuration, &kRequests, &kFailed, &kVus})
    if (aggregation_applies(expression->aggregation, def->type))
      (void)expression->holds(measure(*expression, def->type, samples().find(def->name)->total, 1));
}

void check_selector(std::string_view text) {
  std::string error;
  auto selector = parse_selector(text, &error);
  if (!selector) return;
  auto again = parse_selector(selector->text, &error);
  if (!again || again->metric != selector->metric || again->tags != selector->tags ||
      again->filter != selector->filter)
    std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  check_expression(text);
  check_selector(text);

  rapidjson::Document table;
  if (!parse_json_bounded(text, table, nullptr) || !table.IsObject()) return 0;
  for (auto unknown : {UnknownMetrics::kError, UnknownMetrics::kNoData}) {
    try {
      auto slos = parse_thresholds(table, lookup, "fuzz.lua", "options.thresholds", unknown);
      for (const auto& slo : slos) {
        check_expression(slo.threshold.text);
        check_selector(slo.selector.text);
      }
      SloReport report = evaluate_all(slos, samples(), 10, false, "", seconds_of);
      for (const auto& result : report.results) (void)failure_level(result, true);
    } catch (const ThresholdError&) {
    }
  }
  return 0;
}
