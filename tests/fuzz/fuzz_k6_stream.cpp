// k6's JSON stream as `lueng validate` reads it (engine/result/k6_stream_reader.cpp):
// any text, a k6 run's output or not. One that reads is evaluated with its own
// thresholds as `validate` does, findings included.
//
// Checked besides crashes: a bad stream is a ResultReadError, never anything
// else; what detect_result_source calls k6's stream is what the reader is
// given; every SLO of a stream that reads evaluates.
#include <cstdint>
#include <string>
#include <string_view>

#include "engine/analysis/findings.hpp"
#include "engine/result/k6_results.hpp"
#include "engine/result/result_reader.hpp"
#include "engine/result/slo_series.hpp"
#include "engine/thresholds/evaluate.hpp"

using namespace lueng;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  (void)result::detect_result_source(text);
  result::RunResult result;
  try {
    result = result::result_from_k6_stream(text, "fuzz.json");
  } catch (const result::ResultReadError&) {
    return 0;
  }
  std::vector<thresholds::SloDefinition> slos;
  for (const auto& r : result.slo.results) slos.push_back(r.slo);
  thresholds::SloReport report =
      thresholds::evaluate_all(slos, result.metrics, result.duration_seconds, false, "",
                               result::seconds_in(result.time_series));
  for (const auto& r : report.results) (void)thresholds::failure_level(r, false);
  result.findings = analysis::compute_findings(result);
  return 0;
}
