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

// The one table of output kinds. Every kind is opened before the run (so a
// target that cannot be written fails at once, naming it) and finished with the
// result model once the run has ended, also after an interrupt or an abort. What
// it does in between is its own: stream every sample (json, csv) or nothing and
// render at the end (html, markdown, junit, locust).
struct OutputKind {
  const char* name;
  const char* help;
  // nullptr with *error set (naming the target) when the target cannot be written.
  std::unique_ptr<Output> (*open)(const std::string& target, std::string* error);
  // Made from the result model alone: `lueng report RESULT --NAME FILE` offers it.
  bool from_result_file = false;
};

const std::vector<OutputKind>& output_kinds();
const OutputKind* find_output_kind(std::string_view name);

// Reads "KIND=TARGET". Returns "" or a one-line problem naming the known kinds.
std::string parse_output_target(std::string_view text, OutputTarget* target);

}  // namespace lueng::output
