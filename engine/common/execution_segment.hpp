#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace lueng {

// Execution segments as k6 defines them (lib/execution_segment.go): a test split
// into parts run by separate processes, each knowing only its own part. A
// segment (from, to] is a part of [0, 1]; a sequence of points 0 = p0 < p1 < ...
// < pn = 1 lists every part of one split. Units (VUs, iterations, arrivals)
// are striped over the parts of the sequence so that every part's share is fair
// at any total and the shares add up to the total exactly.

// A rational number, reduced, denominator > 0. Parts of [0, 1] only, so the
// numbers stay small: at most kMaxDenominator below.
struct Fraction {
  int64_t num = 0, den = 1;
  static Fraction of(int64_t num, int64_t den);  // num/den reduced; den != 0
  std::string text() const;                      // as k6 prints it: "0", "1", "1/3"
  friend bool operator==(const Fraction&, const Fraction&) = default;
  friend bool operator<(const Fraction& a, const Fraction& b);
};

// The finest split lueng accepts: the least common denominator of a sequence's
// parts, which is also the length of its striping cycle (kept in memory).
inline constexpr int64_t kMaxSegmentDenominator = 1'000'000;
// The most striping work a sequence may need: its parts times its cycle (lcd).
// N equal parts need N x N: at most kMaxEqualParts of them.
inline constexpr int64_t kMaxStripingSteps = 100'000'000;
inline constexpr int64_t kMaxEqualParts = 10'000;

// One point as k6 reads it: a fraction ("1/3"), a decimal ("0.5", "5e-1") or a
// whole percentage ("50%"). Returns "" or what is wrong with `text`.
std::string parse_fraction(std::string_view text, Fraction& out);

struct ExecutionSegment {
  Fraction from{0, 1}, to{1, 1};
  bool whole() const { return from.num == 0 && to.num == to.den; }
  std::string text() const { return from.text() + ":" + to.text(); }  // "1/3:2/3"
  friend bool operator==(const ExecutionSegment&, const ExecutionSegment&) = default;
};

// `--execution-segment`: "FROM:TO" or "TO" (from 0: "2/3" is 0:2/3), "" is 0:1.
// Needs 0 <= from < to <= 1. Returns "" or the problem.
std::string parse_execution_segment(std::string_view text, ExecutionSegment& out);

// `--execution-segment-sequence`: "p0,p1,...,pn", at least two increasing points;
// "" is no sequence (empty `out`). Returns "" or the problem.
std::string parse_segment_sequence(std::string_view text, std::vector<Fraction>& out);
std::string sequence_text(const std::vector<Fraction>& points);  // "0,1/3,2/3,1"

// One segment of a full sequence with its striping: k6's ExecutionTuple and
// SegmentedIndex together. The striping repeats every lcd() units; within each
// cycle the segment owns the units at positions() (increasing).
class ExecutionTuple {
 public:
  // The whole test: one segment, 0:1.
  ExecutionTuple();
  // `segment` within `points` (empty: no sequence). Points missing at 0 and 1 are
  // added, as k6 does; without a sequence the segment's own ends make one. Returns
  // "" or the problem (the segment is not one of the sequence's, too fine a split).
  static std::string make(const ExecutionSegment& segment, const std::vector<Fraction>& points,
                          ExecutionTuple& out);

  bool whole() const { return points_.size() == 2; }
  const ExecutionSegment& segment() const { return segment_; }
  const std::vector<Fraction>& sequence() const { return points_; }  // filled: 0 ... 1
  size_t index() const { return index_; }                            // of the segment in sequence()

  // The units of a total of `value` this segment owns (k6's ScaleInt64): over the
  // segments of the sequence they add up to `value`, and they never shrink as
  // `value` grows.
  int64_t scale(int64_t value) const { return scale_in(index_, value); }
  int64_t scale_in(size_t segment_index, int64_t value) const;
  // The same segment in the sequence re-cut by `value` (k6's
  // GetNewExecutionTupleFromValue): each part's length becomes its share of
  // `value`, parts with none are dropped. nullopt when this segment has none.
  std::optional<ExecutionTuple> for_value(int64_t value) const;

  // The global index (0-based) of this segment's `local_index`-th unit: the
  // instances of one sequence take disjoint index sets that together are every
  // index. The identity for the whole test.
  int64_t global_index(int64_t local_index) const;

  // The striping as k6's GetStripedOffsets gives it: the first owned position, the
  // gaps from each owned unit to the next (the last wraps into the next cycle),
  // and the cycle's length.
  int64_t start() const { return positions_[index_].front(); }
  std::vector<int64_t> offsets() const;
  int64_t lcd() const { return lcd_; }

 private:
  void stripe();  // positions_ from points_ (k6's NewExecutionSegmentSequenceWrapper)

  ExecutionSegment segment_;
  std::vector<Fraction> points_{{0, 1}, {1, 1}};
  size_t index_ = 0;
  int64_t lcd_ = 1;
  std::vector<std::vector<int64_t>> positions_{{0}};  // per segment: owned positions in a cycle
};

}  // namespace lueng
