#pragma once

#include <optional>
#include <vector>

#include "engine/common/execution_segment.hpp"
#include "engine/result/run_result.hpp"

namespace lueng::result {

// The part of the test a run covered: its execution segment, the whole test
// (0:1) without one. Throws std::invalid_argument saying what is wrong when the
// segment is not a part of 0:1 (the reader has checked those of files).
ExecutionSegment segment_of(const std::optional<SegmentInfo>& info);

// The execution_segment a merged result records for a covered stretch.
SegmentInfo segment_info(const ExecutionSegment& segment);

// How a set of segments covers 0:1.
struct SpanCoverage {
  Coverage coverage;  // covered: the segments in order of `from`; missing: the gaps
  // Two segments that share a part of the test, as indices into the input (-1 when none).
  int overlap_first = -1, overlap_second = -1;
  bool whole() const { return coverage.missing.empty(); }
  bool contiguous = true;  // the covered segments are one stretch
  ExecutionSegment hull;   // from the first covered fraction to the last
};
SpanCoverage cover(const std::vector<ExecutionSegment>& segments);

}  // namespace lueng::result
