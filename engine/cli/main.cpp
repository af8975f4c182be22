#include <cstdio>
#include <string>
#include <vector>

#include "engine/cli/commands.hpp"
#include "engine/common/closest_name.hpp"
#include "engine/common/exit_codes.hpp"

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.empty()) return lueng::cli::help_command({});
  std::string command = args.front();
  args.erase(args.begin());
  if (command == "run") return lueng::cli::run_command(args);
  if (command == "inspect") return lueng::cli::inspect_command(args);
  if (command == "validate") return lueng::cli::validate_command(args);
  if (command == "report") return lueng::cli::report_command(args);
  if (command == "compare") return lueng::cli::compare_command(args);
  if (command == "gate") return lueng::cli::gate_command(args);
  if (command == "merge") return lueng::cli::merge_command(args);
  if (command == "version" || command == "--version") return lueng::cli::version_command(args);
  if (command == "help" || command == "--help" || command == "-h")
    return lueng::cli::help_command(args);
  std::string near = lueng::closest_name(command, {"run", "inspect", "validate", "report",
                                                   "compare", "gate", "merge", "version", "help"});
  return lueng::cli::usage_error("", "unknown command '" + command + "'" +
                                         (near.empty() ? "" : " (did you mean '" + near + "'?)") +
                                         " (see 'lueng help')");
}
