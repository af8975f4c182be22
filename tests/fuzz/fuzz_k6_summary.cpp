// k6's summary export as `lueng validate` reads it
// (engine/result/k6_summary_reader.cpp): any text. One that reads is evaluated
// with its own thresholds on the statistics it lists.
//
// Checked besides crashes: a bad file is a ResultReadError, never anything
// else; every SLO of a file that reads evaluates, and one whose statistic the
// file lists is never NO DATA for want of it.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "engine/result/k6_results.hpp"
#include "engine/result/result_reader.hpp"
#include "engine/thresholds/evaluate.hpp"

using namespace lueng;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  (void)result::detect_result_source(text);
  result::K6Summary summary;
  try {
    summary = result::k6_summary_from_json(text, "fuzz.json");
  } catch (const result::ResultReadError&) {
    return 0;
  }
  std::vector<thresholds::SloDefinition> slos;
  for (const auto& r : summary.result.slo.results) slos.push_back(r.slo);
  std::vector<std::string> missing;
  thresholds::SloReport report = result::evaluate_on_k6_summary(slos, summary, false, &missing);
  size_t no_data = 0;
  for (const auto& r : report.results) {
    (void)thresholds::failure_level(r, false);
    if (r.status == thresholds::SloStatus::kNoData) ++no_data;
  }
  if (missing.size() > no_data) {
    fprintf(stderr, "%zu missing statistics for %zu NO DATA results\n", missing.size(), no_data);
    std::abort();
  }
  return 0;
}
