#include "engine/result/measured.hpp"

#include <fmt/format.h>

#include "engine/common/exit_codes.hpp"
#include "engine/common/format.hpp"
#include "engine/result/script_errors.hpp"

namespace lueng::result {

namespace {
double counted(const RunResult& result, const char* metric) {
  const metrics::MetricData* data = result.metrics.find(metric);
  return data ? data->total.sum : 0;
}
}  // namespace

void apply_measurement_rules(thresholds::SloReport& report, const RunResult& result) {
  apply_script_errors(report, script_error_totals(result));
  double requests = counted(result, "http_reqs");
  if (requests == 0 || counted(result, "data_received") > 0) return;
  if (report.exit_code != kExitOk && report.exit_code != kExitSloFailed) return;
  report.verdict =
      fmt::format("CRITICAL: not one of {} requests got a response", format_number(requests));
  report.exit_code = kExitSloCritical;
}

}  // namespace lueng::result
