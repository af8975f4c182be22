#include <cstdio>

#include "engine/cli/commands.hpp"
#include "engine/common/exit_codes.hpp"
#include "engine/common/version.hpp"

namespace lueng::cli {

int usage_error(const std::string& command, const std::string& message) {
  std::string prefix = command.empty() ? "lueng: " : "lueng " + command + ": ";
  fprintf(stderr, "%s%s\n", prefix.c_str(), message.c_str());
  return kExitInvalidConfig;
}

int version_command(const std::vector<std::string>& args) {
  if (!args.empty() && args[0] != "--help" && args[0] != "-h")
    return usage_error("version", "takes no arguments");
  if (!args.empty()) {
    printf("Usage: lueng version\n\nPrints the version of lueng.\n");
    return kExitOk;
  }
  printf("lueng %s\n", kVersion);
  return kExitOk;
}

int help_command(const std::vector<std::string>& args) {
  if (!args.empty()) {
    if (args[0] == "run") return run_command({"--help"});
    if (args[0] == "inspect") return inspect_command({"--help"});
    if (args[0] == "validate") return validate_command({"--help"});
    if (args[0] == "report") return report_command({"--help"});
    if (args[0] == "compare") return compare_command({"--help"});
    if (args[0] == "gate") return gate_command({"--help"});
    if (args[0] == "merge") return merge_command({"--help"});
    if (args[0] == "version") return version_command({"--help"});
    if (args[0] != "help") return usage_error("help", "unknown command '" + args[0] + "'");
  }
  printf(
      "lueng %s: a scriptable HTTP load engine\n"
      "\n"
      "Usage: lueng <command> [flags]\n"
      "\n"
      "Commands:\n"
      "  run SCRIPT.lua   run a load test\n"
      "  inspect SCRIPT.lua  print the scenarios a script would run, without running it\n"
      "  validate RESULT.json  re-evaluate the SLOs of a saved result file (or --slo FILE.lua)\n"
      "  report RESULT.json  render HTML, Markdown or JUnit reports from a saved result file\n"
      "  compare BASELINE.json CURRENT.json  per metric and endpoint deltas; exit 1 on a "
      "regression\n"
      "  gate RESULT.json  allow (0), warn (1) or block (2) a deployment on a saved run\n"
      "  merge RESULT.json...  merge the result files of one test's segments into one verdict\n"
      "  version          print the version\n"
      "  help [COMMAND]   show help for lueng or a command\n"
      "\n"
      "Every command takes --help. Exit status: 0 passed, 1 an SLO failed, 2 a critical SLO\n"
      "failed, 104 invalid options, 105 interrupted, 107 script error.\n"
      "Documentation: docs/user-guide.md and docs/lua-api.md\n",
      kVersion);
  return kExitOk;
}

}  // namespace lueng::cli
