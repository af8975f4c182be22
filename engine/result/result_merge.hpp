#pragma once

#include <stdexcept>
#include <string>
#include <vector>

#include "engine/result/run_result.hpp"

namespace lueng::result {

// Inputs that must not be merged: different scripts, overlapping segments,
// different SLOs. The message names the files (exit status 104).
class MergeRefused : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// One result file to merge, read back, and its path (for messages and merged_from).
struct MergeSource {
  std::string file;
  RunResult result;
};

struct MergedResult {
  RunResult result;
  // Merged anyway, but worth saying: missing segments, partial files, inputs
  // without a script checksum.
  std::vector<std::string> warnings;
};

// At most this many distinct script error messages, as one run keeps (exec::ErrorLog).
inline constexpr size_t kMergedErrorMessages = 100;

// Combines the results of one test's execution segments into the result one run
// of the whole test would have given (docs/results.md, Merged results):
// - counters, rates (passes and fails), checks and trends summed, histograms
//   bucket by bucket (exactly: percentiles as of one histogram of every sample);
// - gauges: `vus` and `vus_max` summed (the total's min and max from the merged
//   per-second series when there is one); the others keep the value set last on
//   the wall clock and the smallest and largest;
// - the time series aligned by wall-clock second (merge_series);
// - script errors summed per message and phase, the list capped as a run's;
// - failures summed per endpoint, status and error code, the first input's
//   message kept, the list capped as a run's (the rest counted as unlisted);
// - scenarios by name as the inputs describe the whole test, with the
//   iterations each instance completed and interrupted summed;
// - the SLOs of the inputs (refused unless they agree) evaluated on the merged
//   metrics with the run's code; an abort of any input is the merged run's.
// The findings are left to the caller (analysis). Throws MergeRefused.
MergedResult merge_results(const std::vector<MergeSource>& inputs);

// The exit status a single run with this result would have had: 105 when
// interrupted, 107 for script errors in setup or teardown or when nothing was
// measured, else the SLOs' 0, 1 or 2.
int merged_exit_code(const RunResult& merged);

}  // namespace lueng::result
