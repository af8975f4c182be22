#pragma once

#include <functional>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include <rapidjson/document.h>

#include "engine/metrics/metric.hpp"
#include "engine/thresholds/slo.hpp"

namespace lueng::thresholds {

// A threshold that cannot be checked (exit status 104). The message names the
// file, the exact key and what is wrong.
class ThresholdError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Finds a metric's definition by name; nothing for an unknown metric.
using MetricLookup = std::function<std::optional<metrics::MetricDef>(std::string_view name)>;

// What a metric the lookup does not know is. In a script, an error: the script
// defines every metric it has. In a saved run, one that got no samples: its
// SLOs are NO DATA, its type is given by their expressions (a counter if one
// counts, else the type of the first one's aggregation; rate: a Rate).
enum class UnknownMetrics { kError, kNoData };

// Reads a thresholds table (as JSON: the Lua table converted by lua_to_json):
//   metric_or_selector = "expr" | { "expr" | entry, ... } | entry
//   entry = { "expr", warn = "expr", priority = "P0"|"P1"|"P2", abort_on_fail = bool,
//             delay_abort_eval = "10s", description = "...", allow_empty = bool,
//             window = "30s" }
// k6's { threshold = "expr", abortOnFail = ..., delayAbortEval = ... } is an entry too.
// `file` and `path` (e.g. "options.thresholds") prefix every message. SLOs come
// back in key order, each key's in its order. Throws ThresholdError.
std::vector<SloDefinition> parse_thresholds(const rapidjson::Value& thresholds,
                                            const MetricLookup& lookup, const std::string& file,
                                            const std::string& path,
                                            UnknownMetrics unknown = UnknownMetrics::kError);

}  // namespace lueng::thresholds
