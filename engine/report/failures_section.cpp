#include "engine/report/failures_section.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "engine/result/failures.hpp"
#include "engine/result/script_errors.hpp"

namespace lueng::report {

using result::FailureCount;
using result::group_thousands;

std::string failure_number(int value) {
  return value == 0 ? "-" : std::to_string(value);
}

std::string render_failures(const result::RunResult& result) {
  std::vector<FailureCount> rows = result::failure_table(result);
  if (rows.empty() && result.failures_unlisted == 0) return "";
  size_t width = 8;
  for (const auto& row : rows) width = std::max(width, row.method.size() + 1 + row.endpoint.size());
  width = std::min<size_t>(width, 56);
  std::string out = fmt::format("\n     failures{:<{}} {:>9} {:>6} {:>10}  first error\n", "",
                                width - 8, "count", "status", "error_code");
  for (const auto& row : rows) {
    std::string label = row.method + " " + row.endpoint;
    if (label.size() > width) label = label.substr(0, width - 1) + "…";
    out += fmt::format("     {:<{}} {:>9} {:>6} {:>10}  {}\n", label, width,
                       group_thousands(row.count), failure_number(row.status),
                       failure_number(row.error_code), row.message);
  }
  if (result.failures_unlisted > 0)
    out += fmt::format("     {:<{}} {:>9}  more, beyond the first {} combinations kept\n",
                       "(unlisted)", width, group_thousands(result.failures_unlisted),
                       result::kMaxFailureRows);
  return out;
}

}  // namespace lueng::report
