#include "engine/report/script_errors_section.hpp"

#include <fmt/format.h>

#include "engine/result/script_errors.hpp"

namespace lueng::report {

using result::group_thousands;
using result::RunResult;
using result::script_error_totals;
using result::ScriptErrorCount;
using result::ScriptErrorTotals;

std::string render_script_errors(const RunResult& result) {
  if (result.script_errors.empty()) return "";
  std::string out = "\n     script errors\n";
  uint64_t listed = 0;
  for (const ScriptErrorCount& error : result.script_errors) {
    std::string kind = error.deliberate ? "fail()" : "error";
    if (error.phase != "iteration")
      kind += " in " + error.phase_text();
    else
      listed += error.count;
    out +=
        fmt::format("       {:>9}  {:<8} {}\n", group_thousands(error.count), kind, error.message);
  }
  ScriptErrorTotals totals = script_error_totals(result);
  if (uint64_t all = totals.errors + totals.fails; all > listed)
    out += fmt::format("       {:>9}  more, with messages beyond the first distinct ones kept\n",
                       group_thousands(all - listed));
  return out;
}

}  // namespace lueng::report
