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

// The files an output writes (OutputKind::files): none for standard output or a URL.
std::vector<std::string> output_files(const OutputTarget& target);

// A file an option of one command writes: the option as given ("--out json=a.json",
// "--summary-export a.json"), and the path.
struct OutputFile {
  std::string flag;
  std::string path;
};

// "" or, when two of `files` are one file, the problem naming both options and
// the file. Paths compare absolute and normalised (./a.json is a.json, a folder
// through a symlink is the folder), and existing files by identity (a hard
// link). Only files are compared: a device (/dev/null, /dev/stdout) or a FIFO
// is written in place, and several outputs may share one.
std::string same_file_problem(const std::vector<OutputFile>& files);

}  // namespace lueng::cli
