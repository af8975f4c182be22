#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <memory>

#include "engine/output/output.hpp"
#include "engine/output/run_result.hpp"

namespace lueng::output {

// One `--out KIND=TARGET` of `lueng run`.
struct OutputTarget {
  std::string kind;
  std::string target;
};

// The one table of output kinds. A kind written once the run has ended (also
// after an interrupt or an abort) renders one file from the result model; a
// kind that streams samples as they happen, or writes several files, leaves
// render_at_end empty and has `open` instead: it is opened before the run
// (nullptr with *error set when the target cannot be written) and driven by it.
struct OutputKind {
  const char* name;
  const char* help;
  std::string (*render_at_end)(const RunResult& result);
  std::unique_ptr<Output> (*open)(const std::string& target, std::string* error) = nullptr;
};

const std::vector<OutputKind>& output_kinds();
const OutputKind* find_output_kind(std::string_view name);

// Reads "KIND=TARGET". Returns "" or a one-line problem naming the known kinds.
std::string parse_output_target(std::string_view text, OutputTarget* target);

// Checks, before the run, that every end-of-run output among `targets` can be
// written: "" or the first problem, naming the path.
std::string check_end_of_run_outputs(const std::vector<OutputTarget>& targets);

// Writes every end-of-run output among `targets`. Returns the problems, one per
// file that could not be written; the others are still written.
std::vector<std::string> write_end_of_run_outputs(const RunResult& result,
                                                  const std::vector<OutputTarget>& targets);

}  // namespace lueng::output
