#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace lueng::cli {

// What handleSummary(data) returned: a table of destination -> text, as k6's
// handleSummary returns it. "stdout" replaces the end-of-test summary, "stderr"
// goes to stderr, any other key is a file path (relative to the working folder).
struct SummaryHookOutput {
  std::optional<std::string> stdout_text;
  std::optional<std::string> stderr_text;
  std::vector<std::pair<std::string, std::string>> files;  // path, contents
};

// Reads the hook's return value, given as JSON. nil (JSON null) is an empty
// table: the hook wrote what it wanted itself. Returns "" or the problem, e.g.
// "handleSummary() must return a table of name = text, not a number".
std::string read_summary_hook_output(const std::string& json, SummaryHookOutput& out);

// Writes the files of `out` and its stderr text; returns the problems, one per
// file that could not be written.
std::vector<std::string> write_summary_hook_files(const SummaryHookOutput& out);

}  // namespace lueng::cli
