#include "engine/result/segments.hpp"

#include <algorithm>
#include <numeric>
#include <stdexcept>

namespace lueng::result {

ExecutionSegment segment_of(const std::optional<SegmentInfo>& info) {
  ExecutionSegment segment;  // 0:1
  if (!info) return segment;
  if (std::string problem = parse_execution_segment(info->segment, segment); !problem.empty())
    throw std::invalid_argument(problem);
  return segment;
}

SegmentInfo segment_info(const ExecutionSegment& segment) {
  SegmentInfo info;
  info.segment = segment.text();
  info.from = segment.from.text();
  info.to = segment.to.text();
  return info;
}

SpanCoverage cover(const std::vector<ExecutionSegment>& segments) {
  SpanCoverage out;
  std::vector<size_t> order(segments.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t a, size_t b) { return segments[a].from < segments[b].from; });
  const Fraction one{1, 1};
  Fraction reached{0, 1};  // the covered part so far ends here
  for (size_t k = 0; k < order.size(); ++k) {
    const ExecutionSegment& segment = segments[order[k]];
    if (k > 0 && segment.from < reached && out.overlap_first < 0) {
      // An earlier segment reaching past this one's start is one it overlaps.
      size_t other = order[0];
      for (size_t j = 0; j < k; ++j)
        if (segment.from < segments[order[j]].to) other = order[j];
      out.overlap_first = static_cast<int>(std::min(other, order[k]));
      out.overlap_second = static_cast<int>(std::max(other, order[k]));
    }
    if (reached < segment.from) {
      out.coverage.missing.push_back(ExecutionSegment{reached, segment.from}.text());
      if (k > 0) out.contiguous = false;
    }
    out.coverage.covered.push_back(segment.text());
    if (reached < segment.to) reached = segment.to;
  }
  if (reached < one) out.coverage.missing.push_back(ExecutionSegment{reached, one}.text());
  if (!order.empty()) out.hull = {segments[order.front()].from, reached};
  return out;
}

}  // namespace lueng::result
