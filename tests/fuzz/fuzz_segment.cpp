// The distributed-run flags (engine/common): --execution-segment FROM:TO,
// --execution-segment-sequence P0,...,PN and --start-at TIME. The input up to
// its first newline is a segment, the rest a sequence; the whole input is also
// read as an instant.
//
// Checked besides crashes: a parsed segment, sequence or instant prints as text
// that parses back to it; a tuple's shares of a total add up to the total over
// the sequence's segments; global_index() is increasing and scale() inverts it.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "engine/common/execution_segment.hpp"
#include "engine/common/utc_time.hpp"

namespace {

void check_tuple(const lueng::ExecutionSegment& segment,
                 const std::vector<lueng::Fraction>& points) {
  lueng::ExecutionTuple tuple;
  if (!lueng::ExecutionTuple::make(segment, points, tuple).empty()) return;
  const std::vector<lueng::Fraction>& filled = tuple.sequence();
  for (int64_t value : {int64_t{0}, int64_t{1}, int64_t{7}, tuple.lcd() + 3}) {
    int64_t sum = 0;
    for (size_t i = 0; i + 1 < filled.size(); ++i) sum += tuple.scale_in(i, value);
    if (sum != value) std::abort();
  }
  int64_t previous = -1;
  for (int64_t k = 0; k < 50; ++k) {
    int64_t global = tuple.global_index(k);
    if (global <= previous || tuple.scale(global) != k) std::abort();
    previous = global;
  }
  if (auto recut = tuple.for_value(13)) {
    if (recut->scale(13) != tuple.scale(13)) std::abort();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  if (auto ms = lueng::parse_instant_ms(text)) {
    if (lueng::parse_instant_ms(lueng::format_utc(*ms, lueng::UtcFormat::kIsoMillis)) != *ms)
      std::abort();
  }
  size_t newline = text.find('\n');
  std::string_view segment_text = text.substr(0, newline);
  std::string_view sequence_text =
      newline == std::string_view::npos ? std::string_view() : text.substr(newline + 1);
  lueng::ExecutionSegment segment;
  bool segment_ok = lueng::parse_execution_segment(segment_text, segment).empty();
  if (segment_ok) {
    lueng::ExecutionSegment again;
    if (!lueng::parse_execution_segment(segment.text(), again).empty() || !(again == segment))
      std::abort();
  }
  std::vector<lueng::Fraction> points;
  bool sequence_ok = lueng::parse_segment_sequence(sequence_text, points).empty();
  if (sequence_ok) {
    std::vector<lueng::Fraction> again;
    if (!lueng::parse_segment_sequence(lueng::sequence_text(points), again).empty() ||
        again != points)
      std::abort();
  }
  // Striping costs the sequence's parts times its cycle: short inputs keep runs fast.
  if (segment_ok && sequence_ok && points.size() <= 16) check_tuple(segment, points);
  return 0;
}
