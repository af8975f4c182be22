#pragma once

#include <string>
#include <vector>

namespace lueng::cli {

// Each subcommand takes its arguments (without the program and command names)
// and returns the process exit status.
int run_command(const std::vector<std::string>& args);
int inspect_command(const std::vector<std::string>& args);
int validate_command(const std::vector<std::string>& args);
int report_command(const std::vector<std::string>& args);
int compare_command(const std::vector<std::string>& args);
int gate_command(const std::vector<std::string>& args);
int merge_command(const std::vector<std::string>& args);
int version_command(const std::vector<std::string>& args);
int help_command(const std::vector<std::string>& args);

// Prints "lueng <command>: <message>" to stderr and returns 104.
int usage_error(const std::string& command, const std::string& message);

}  // namespace lueng::cli
