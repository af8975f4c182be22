#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/result/run_result.hpp"

namespace lueng::result {

// A fraction of the test, 0 to 1, as execution segments write them: "0",
// "1", "1/3". Kept reduced with a positive denominator.
struct Fraction {
  int64_t num = 0;
  int64_t den = 1;
  std::string text() const;  // "1/3", "0", "1"
};

// "N" or "N/D" (whole numbers, D > 0, N/D from 0 to 1); none otherwise.
std::optional<Fraction> parse_fraction(std::string_view text);
// a < b, a == b, exactly (cross-multiplied in 128 bits).
bool less(const Fraction& a, const Fraction& b);
bool equal(const Fraction& a, const Fraction& b);

// A part of the test from `from` to `to` (from < to).
struct SegmentSpan {
  Fraction from, to;
  std::string text() const { return from.text() + ":" + to.text(); }
};

// The span of a run: its execution segment, or 0:1 without one. Throws
// std::invalid_argument saying what is wrong when it is not a part of 0:1.
SegmentSpan span_of(const std::optional<ExecutionSegment>& segment);

// How a set of spans covers 0:1.
struct SpanCoverage {
  Coverage coverage;  // covered: the spans in order of `from`; missing: the gaps
  // Two spans that share a part of the test, as indices into the input (-1 when none).
  int overlap_first = -1, overlap_second = -1;
  bool whole() const { return coverage.missing.empty(); }
  // The covered spans are one contiguous stretch.
  bool contiguous = true;
  SegmentSpan hull;  // from the first covered fraction to the last
};
SpanCoverage cover(const std::vector<SegmentSpan>& spans);

}  // namespace lueng::result
