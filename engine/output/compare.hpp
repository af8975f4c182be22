#pragma once

#include <optional>
#include <string>
#include <vector>

#include "engine/output/run_result.hpp"

namespace lueng::output {

// One number of two runs side by side (lueng compare, lueng run --baseline).
struct ComparisonRow {
  std::string endpoint;   // "" for the whole run, else "METHOD name"
  std::string metric;     // "p(95)", "error rate", "req/s", ...
  bool is_time = false;   // milliseconds
  bool is_ratio = false;  // a fraction shown as a percentage
  double baseline = 0, current = 0;
  std::optional<double> delta_percent;  // (current - baseline) / baseline; none for baseline 0
  bool gated = false;                   // counts toward a regression
  bool regression = false;              // worse by more than the tolerance
};

struct Comparison {
  double tolerance_percent = 10;
  std::vector<ComparisonRow> rows;
  std::vector<std::string> only_in_baseline, only_in_current;  // endpoints
  bool regressed() const;
};

// Baseline against current, per metric and per endpoint (matched by method and
// name; a URL's scheme, host and port are ignored, so runs against different
// hosts compare). A regression is a latency percentile or the error rate worse
// by more than the tolerance, or throughput lower by more than it; error rates
// within 0.1 percentage point of each other never regress.
Comparison compare_runs(const RunResult& baseline, const RunResult& current,
                        double tolerance_percent);

std::string render_comparison_console(const Comparison& comparison,
                                      const std::string& baseline_name,
                                      const std::string& current_name);
std::string render_comparison_markdown(const Comparison& comparison,
                                       const std::string& baseline_name,
                                       const std::string& current_name);
std::string render_comparison_json(const Comparison& comparison, const std::string& baseline_name,
                                   const std::string& current_name);

// Reads "10%", "10" or "2.5%" as a percentage in [0, 1000]; none otherwise.
std::optional<double> parse_tolerance(const std::string& text);

}  // namespace lueng::output
