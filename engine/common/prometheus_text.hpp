#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace lueng {

// Prometheus's text exposition format 0.0.4 (and the sample lines of OpenMetrics),
// as a scraped service writes it. The text comes from outside: the parser never
// trusts it, bounds what it keeps, and counts the lines it cannot read instead of
// failing (tests/fuzz/fuzz_prometheus_text.cpp).

struct PromSample {
  std::string name;
  std::vector<std::pair<std::string, std::string>> labels;  // as written, unescaped
  double value = 0;
  friend bool operator==(const PromSample&, const PromSample&) = default;
};

struct PromParse {
  std::vector<PromSample> samples;  // the wanted ones with finite values, in order
  size_t bad_lines = 0;             // lines that are not a sample, a comment or blank
  std::string first_error;          // "line 3: expected a value", "" when none
};

// What one page may hold before the rest is ignored (and counted as bad lines).
inline constexpr size_t kPromMaxLabels = 32;
inline constexpr size_t kPromMaxLabelValue = 1024;
inline constexpr size_t kPromMaxSamples = 10000;

// `wanted` is asked for every sample's name; only the names it accepts are kept
// (all of them when it is empty). NaN and infinite values are skipped.
PromParse parse_prometheus_text(std::string_view text,
                                const std::function<bool(std::string_view)>& wanted = {});

// One sample line as the format writes it (label values escaped), with "\n".
std::string format_prometheus_sample(const PromSample& sample);

}  // namespace lueng
