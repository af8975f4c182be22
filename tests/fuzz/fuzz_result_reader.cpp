// Result files as `lueng validate`, `report`, `compare`, `merge` and `run --baseline`
// read them (engine/result/result_reader.cpp): any text, hand-edited or corrupt. A
// file that reads is evaluated as `lueng validate` does with the run's own SLOs,
// merged as `lueng merge` does (with itself as the other segment when it has one),
// and written out again as `lueng run` writes result files.
//
// Checked besides crashes: a bad file is a ResultReadError, never anything else;
// a file lueng writes reads back, and writing what was read back gives the very
// same text.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "engine/analysis/findings.hpp"
#include "engine/result/result_file.hpp"
#include "engine/result/result_merge.hpp"
#include "engine/result/result_reader.hpp"
#include "engine/thresholds/evaluate.hpp"

using namespace lueng;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  result::RunResult result;
  try {
    result = result::result_from_json(text, "fuzz.json");
  } catch (const result::ResultReadError&) {
    return 0;
  }
  std::vector<thresholds::SloDefinition> slos;
  for (const auto& r : result.slo.results) slos.push_back(r.slo);
  thresholds::SloReport report = thresholds::evaluate_all(
      slos, result.metrics, result.duration_seconds, result.slo.strict, result.slo.aborted_by);
  for (const auto& r : report.results) (void)thresholds::failure_level(r, result.slo.strict);
  result.findings = analysis::compute_findings(result);  // as lueng does after reading a file

  // A merge refuses what does not fit together, and otherwise gives a result
  // that writes and reads back like any other.
  try {
    std::vector<result::MergeSource> inputs = {{"a.json", result}};
    if (result.execution_segment) {
      result::RunResult rest = result;
      rest.execution_segment = result::SegmentInfo{
          result.execution_segment->to + ":1", result.execution_segment->to, "1", "", -1, 0};
      inputs.push_back({"b.json", rest});
    }
    result::RunResult merged = result::merge_results(inputs).result;
    merged.findings = analysis::compute_findings(merged);
    std::string merged_text = result::result_to_json(merged);
    result::RunResult merged_again = result::result_from_json(merged_text, "merged.json");
    merged_again.findings = analysis::compute_findings(merged_again);
    if (result::result_to_json(merged_again) != merged_text) {
      fprintf(stderr, "a merged result written again differently:\n%s\n", merged_text.c_str());
      std::abort();
    }
  } catch (const result::MergeRefused&) {
  } catch (const result::ResultReadError& error) {
    fprintf(stderr, "lueng cannot read the merge it wrote: %s\n", error.what());
    std::abort();
  }

  std::string written = result::result_to_json(result);
  result::RunResult again;
  try {
    again = result::result_from_json(written, "written.json");
  } catch (const result::ResultReadError& error) {
    fprintf(stderr, "lueng cannot read what it wrote: %s\n%s\n", error.what(), written.c_str());
    std::abort();
  }
  again.findings = analysis::compute_findings(again);
  if (result::result_to_json(again) != written) {
    fprintf(stderr, "written again differently:\n%s\n", written.c_str());
    std::abort();
  }
  return 0;
}
