#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "engine/metrics/metric.hpp"
#include "engine/thresholds/expression.hpp"
#include "engine/thresholds/selector.hpp"

namespace lueng::thresholds {

enum class Priority { kP0, kP1, kP2 };
enum class SloStatus { kPass, kWarning, kFail, kCritical, kNoData };

const char* priority_name(Priority priority);  // "P0"
std::optional<Priority> parse_priority(std::string_view text);
const char* status_name(SloStatus status);  // "PASS", "WARNING", "FAIL", "CRITICAL", "NO DATA"
std::optional<SloStatus> parse_status(std::string_view text);

// One threshold of options.thresholds: an SLO.
struct SloDefinition {
  std::string where;  // `options.thresholds["metric"][1]`, for messages
  Selector selector;
  metrics::MetricDef metric;  // the selected metric's definition
  Expression threshold;
  std::optional<Expression> warn;  // stricter: met threshold + missed warn = WARNING
  Priority priority = Priority::kP0;
  bool abort_on_fail = false;
  double delay_abort_eval = 0;  // seconds into the test before abort_on_fail applies
  std::string description;
  bool allow_empty = false;  // no samples is not a failure
  // Whole seconds: checked on every window of this length over the per-second
  // series (engine/thresholds/windows.hpp) instead of the whole run; 0 for the whole run.
  int64_t window = 0;
};

// Where the worst window of a windowed SLO lies, in seconds since the test start.
struct WorstWindow {
  int64_t from = 0;      // its first second
  int64_t to = 0;        // the end of its last second
  uint64_t windows = 0;  // windows with data
  uint64_t missed = 0;   // of them, those that missed the threshold
};

// How one SLO came out.
struct SloResult {
  SloDefinition slo;
  SloStatus status = SloStatus::kNoData;
  uint64_t samples = 0;
  double value = 0;                         // the threshold's aggregation, measured
  std::optional<double> warn_value;         // the warn expression's aggregation
  std::optional<double> deviation_percent;  // (value - bound) / |bound|, none for bound 0
  std::optional<WorstWindow> worst_window;  // a windowed SLO with data: its worst window
  std::vector<std::string> recommendations;
};

// Every SLO of a run and the verdict they add up to.
struct SloReport {
  std::vector<SloResult> results;
  bool strict = false;      // WARNING counted as failing
  std::string aborted_by;   // where of the abort_on_fail SLO that stopped the run, "" if none
  size_t met = 0;           // PASS, WARNING, or NO DATA with allow_empty
  double compliance = 100;  // met / all, in percent
  std::string rating;       // excellent, good, fair, critical
  std::string verdict;      // PASSED, PASSED WITH WARNINGS, FAILED, CRITICAL, ABORTED
  int exit_code = 0;        // 0, 1 or 2 (engine/common/exit_codes.hpp)
};

}  // namespace lueng::thresholds
