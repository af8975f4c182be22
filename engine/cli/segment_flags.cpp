#include "engine/cli/segment_flags.hpp"

#include <charconv>

#include <fmt/format.h>

#include "engine/common/execution_segment.hpp"
#include "engine/common/utc_time.hpp"

namespace lueng::cli {

void add_segment_flags(FlagSet& app, SegmentFlags& flags) {
  app.option("--execution-segment", flags.segment,
             "FROM:TO part of the test this instance runs, as in k6: 1/3:2/3, 50%:100%, "
             "0.25 (from 0)")
      .on_each([&flags] { flags.segment_given = true; });
  app.option("--execution-segment-sequence", flags.sequence,
             "the points of every instance's segment, as in k6: 0,1/3,2/3,1")
      .on_each([&flags] { flags.sequence_given = true; });
  app.option("--segment-index", flags.index,
             "I: run part I (0-based) of --segment-count equal parts")
      .on_each([&flags] { flags.index_given = true; });
  app.option("--segment-count", flags.count, "N: the test is split into N equal parts")
      .on_each([&flags] { flags.count_given = true; });
  app.option("--start-at", flags.start_at,
             "TIME: start the load at this wall-clock time (RFC 3339, e.g. "
             "2026-12-02T14:00:00Z, or Unix seconds), after the init code and setup()")
      .on_each([&flags] { flags.start_at_given = true; });
}

namespace {

// A whole number from 0 to `max`, or -1.
int64_t read_count(const std::string& text, int64_t max) {
  int64_t value = -1;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size() || value < 0 || value > max)
    return -1;
  return value;
}

// --segment-index I --segment-count N: k6's segment I/N:(I+1)/N of 0,1/N,...,1.
std::string equal_parts(const SegmentFlags& flags, exec::TestRunConfig& config) {
  if (flags.segment_given || flags.sequence_given)
    return "--segment-index and --segment-count cannot be combined with --execution-segment or "
           "--execution-segment-sequence (they say the same thing another way)";
  if (!flags.index_given) return "--segment-count needs --segment-index (0 to N-1)";
  if (!flags.count_given) return "--segment-index needs --segment-count";
  int64_t count = read_count(flags.count, kMaxEqualParts);
  if (count < 1)
    return fmt::format("invalid --segment-count '{}' (a whole number from 1 to {})", flags.count,
                       kMaxEqualParts);
  int64_t index = read_count(flags.index, kMaxEqualParts);
  if (index < 0 || index >= count)
    return fmt::format(
        "invalid --segment-index '{}' (a whole number from 0 to {}, below "
        "--segment-count {})",
        flags.index, count - 1, count);
  std::vector<Fraction> points;
  for (int64_t i = 0; i <= count; ++i) points.push_back(Fraction::of(i, count));
  ExecutionSegment segment{points[static_cast<size_t>(index)],
                           points[static_cast<size_t>(index) + 1]};
  if (std::string problem = ExecutionTuple::make(segment, points, config.segment); !problem.empty())
    return "--segment-count: " + problem;
  if (!config.segment.whole())
    config.segment_info = result::SegmentInfo{
        segment.text(), segment.from.text(), segment.to.text(), sequence_text(points), index,
        count};
  return "";
}

}  // namespace

std::string to_segment_config(const SegmentFlags& flags, exec::TestRunConfig& config) {
  if (flags.start_at_given) {
    std::optional<int64_t> at = parse_instant_ms(flags.start_at);
    if (!at)
      return fmt::format(
          "invalid --start-at '{}' (use RFC 3339, e.g. 2026-12-02T14:00:00Z or "
          "2026-12-02T15:00:00+01:00, or Unix seconds)",
          flags.start_at);
    config.start_at_unix_ms = *at;
  }
  if (flags.index_given || flags.count_given) return equal_parts(flags, config);
  ExecutionSegment segment;
  if (std::string problem = parse_execution_segment(flags.segment, segment); !problem.empty())
    return fmt::format("invalid --execution-segment '{}': {}", flags.segment, problem);
  std::vector<Fraction> points;
  if (std::string problem = parse_segment_sequence(flags.sequence, points); !problem.empty())
    return fmt::format("invalid --execution-segment-sequence '{}': {}", flags.sequence, problem);
  if (std::string problem = ExecutionTuple::make(segment, points, config.segment); !problem.empty())
    return fmt::format("--execution-segment '{}' with --execution-segment-sequence '{}': {}",
                       flags.segment, flags.sequence, problem);
  if (!config.segment.whole())
    config.segment_info = result::SegmentInfo{
        segment.text(), segment.from.text(), segment.to.text(), sequence_text(points), -1, 0};
  return "";
}

}  // namespace lueng::cli
