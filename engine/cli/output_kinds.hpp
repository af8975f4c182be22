#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <memory>

#include "engine/output/output.hpp"
#include "engine/result/run_result.hpp"

namespace lueng::cli {

// One `--out KIND=TARGET` of `lueng run`.
struct OutputTarget {
  std::string kind;
  std::string target;
};

// The one table of output kinds (OutputKind, output/output.hpp): every --out KIND and
// every report `lueng report` can make.
const std::vector<output::OutputKind>& output_kinds();
const output::OutputKind* find_output_kind(std::string_view name);

// Reads "KIND=TARGET". Returns "" or a one-line problem naming the known kinds.
std::string parse_output_target(std::string_view text, OutputTarget* target);

}  // namespace lueng::cli
