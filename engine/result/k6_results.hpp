#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <rapidjson/document.h>

#include "engine/result/run_result.hpp"
#include "engine/thresholds/definitions.hpp"
#include "engine/thresholds/slo.hpp"

namespace lueng::result {

// What `lueng validate` reads: lueng's result file, or one of k6's own outputs,
// told apart by their content (the migration bridge, docs/from-k6.md).
enum class ResultSource {
  kLueng,      // lueng's result file (docs/results.md)
  kK6Stream,   // k6 --out json=FILE: one JSON object a line, Metric and Point
  kK6Summary,  // k6 --summary-export=FILE: root_group and metrics
};

// Which of them `text` looks like: a first line that is a k6 Metric or Point
// object is k6's stream; an object with `metrics` and `root_group` and no
// `schema` is k6's summary; anything else is read as lueng's result file.
ResultSource detect_result_source(std::string_view text);

// The values a k6 summary export gives, per metric or sub-metric name as k6
// writes it ("http_req_duration{expected_response:true}"), by statistic: a
// trend's summaryTrendStats ("avg", "p(95)", ...), a counter's "count" and
// "rate", a rate's "value", "passes", "fails", a gauge's "value", "min", "max".
using K6SummaryValues = std::map<std::string, std::map<std::string, double>, std::less<>>;

struct K6Summary {
  // The metrics with what the export allows (totals only, no tag sets, no time
  // series) and the thresholds k6 checked, as the run's own SLOs.
  RunResult result;
  K6SummaryValues values;
  // What k6 wrote for each threshold: (metric or sub-metric name, source) ->
  // failed. Quoted when lueng cannot measure the threshold from the export.
  std::map<std::pair<std::string, std::string>, bool> verdicts;
};

// Reads k6's JSON stream into the result model: every Point aggregated by metric
// and tag set, a per-second series, the thresholds of the Metric lines as the
// run's own SLOs. `name` names the source in messages. Throws ResultReadError
// (naming the line) for text that is not k6's stream.
RunResult result_from_k6_stream(std::string_view text, const std::string& name);

// The thresholds k6 wrote (metric name -> list of expressions or objects) as the
// run's own SLOs in `result`; a metric `lookup` does not know is NO DATA. `where`
// names their place in the file. Throws ResultReadError.
void add_k6_thresholds(const rapidjson::Value& thresholds, const thresholds::MetricLookup& lookup,
                       const std::string& name, const std::string& where, RunResult& result);

// Reads k6's summary export. Throws ResultReadError.
K6Summary k6_summary_from_json(std::string_view text, const std::string& name);

// The SLOs on a k6 summary export: each measured with the statistic the export
// lists for it (exact, as k6 computed it), NO DATA when it lists none (a
// percentile not in k6's summaryTrendStats, a window). `missing` gets one line
// per SLO whose statistic the file lacks (with k6's own verdict when the export
// has it). The verdict as decide() gives it.
thresholds::SloReport evaluate_on_k6_summary(const std::vector<thresholds::SloDefinition>& slos,
                                             const K6Summary& summary, bool strict,
                                             std::vector<std::string>* missing);

}  // namespace lueng::result
