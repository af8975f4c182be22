#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "engine/result/run_result.hpp"
#include "engine/thresholds/slo.hpp"

namespace lueng::analysis {

// An endpoint (or all requests) with fewer requests than this in either run is
// not compared: of 29 requests the p(95) is one of the two slowest, and one
// failure moves the error rate by more than 3 points. The same holds for the
// pass rate of checks with fewer evaluations.
inline constexpr uint64_t kCompareMinSamples = 30;

// One number of two runs side by side (lueng compare, lueng run --baseline).
struct ComparisonRow {
  // What the number is of: "" for all requests (all checks), else "METHOD name",
  // the check's name, or the metric's name.
  std::string scope;
  std::string metric;     // "p(95)", "error rate", "req/s", "pass rate", "avg", "rate", ...
  bool is_time = false;   // milliseconds
  bool is_ratio = false;  // a fraction shown as a percentage
  double baseline = 0, current = 0;
  std::optional<double> delta_percent;  // (current - baseline) / baseline; none for baseline 0
  bool gated = false;                   // counts toward a regression
  bool regression = false;              // worse by more than the tolerance
};

// What was left out for too few samples to judge.
struct NotEnoughData {
  bool is_check = false;  // a check's evaluations, else an endpoint's requests
  std::string scope;      // as ComparisonRow::scope
  uint64_t baseline = 0, current = 0;
};

// One SLO (matched by its key and threshold as written) in both runs.
struct SloComparison {
  std::string slo;  // "http_req_duration{phase:recovered} p(95)<2000"
  std::optional<thresholds::SloStatus> baseline, current;  // none: not an SLO of that run
  bool regression = false;                                 // met in the baseline, failing now
};

struct Comparison {
  double tolerance_percent = 10;
  // Why the two runs may not be comparable: different scripts or scenarios.
  std::vector<std::string> warnings;
  std::vector<ComparisonRow> rows;         // http: all requests, then each endpoint
  std::vector<ComparisonRow> check_rows;   // pass rates: all checks, then each check
  std::vector<ComparisonRow> metric_rows;  // every other metric in both runs; never gated
  std::vector<SloComparison> slos;
  std::vector<NotEnoughData> not_enough_data;
  std::vector<std::string> only_in_baseline, only_in_current;  // endpoints

  size_t gated_values() const;
  size_t regressed_values() const;
  size_t regressed_slos() const;
  bool regressed() const;
  // "REGRESSION: ..." or "NO REGRESSION: ...", with the counts.
  std::string verdict() const;
};

// Baseline against current, per metric and per endpoint (matched by method and
// name; a URL's scheme, host and port are ignored, so runs against different
// hosts compare), per check, per other metric and per SLO. A regression is a
// latency percentile or the error rate worse by more than the tolerance, or
// throughput lower by more than it; a check's failure rate worse like the error
// rate; an SLO met in the baseline and failing now. Rates within 0.1 percentage
// point of each other never regress; scopes with fewer than kCompareMinSamples
// in a run are listed instead of compared.
Comparison compare_runs(const result::RunResult& baseline, const result::RunResult& current,
                        double tolerance_percent);

// Reads "10%", "10" or "2.5%" as a percentage in [0, 1000]; none otherwise.
std::optional<double> parse_tolerance(const std::string& text);

}  // namespace lueng::analysis
