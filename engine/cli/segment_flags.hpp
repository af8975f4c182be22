#pragma once

#include <string>

#include "engine/cli/flag_set.hpp"
#include "engine/exec/test_run.hpp"

namespace lueng::cli {

// The flags that make a run one instance of a distributed test: its execution
// segment (k6's --execution-segment and --execution-segment-sequence, or N equal
// parts by --segment-index and --segment-count) and when its load starts.
struct SegmentFlags {
  std::string segment, sequence, index, count, start_at;
  bool segment_given = false, sequence_given = false, index_given = false, count_given = false,
       start_at_given = false;
};

void add_segment_flags(FlagSet& app, SegmentFlags& flags);
// The parsed flags into `config` (segment, segment_info, start_at_unix_ms).
// Returns "" or a one-line problem naming the flag.
std::string to_segment_config(const SegmentFlags& flags, exec::TestRunConfig& config);

}  // namespace lueng::cli
