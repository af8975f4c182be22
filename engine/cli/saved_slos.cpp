#include "engine/cli/saved_slos.hpp"

#include <cstdio>

#include "bindings/script_state.hpp"
#include "bindings/slo_files.hpp"
#include "engine/result/measured.hpp"
#include "engine/result/slo_series.hpp"
#include "engine/thresholds/definitions.hpp"
#include "engine/thresholds/evaluate.hpp"

namespace lueng::cli {

namespace {

// The SLOs of a --slo file, typed by the metrics of the saved run, the run's
// own SLOs and the built-in catalog. A metric none of them knows got no samples
// in that run: its SLOs are NO DATA, as they would have been at the end of it.
std::vector<thresholds::SloDefinition> slos_of_file(const std::string& path,
                                                    const result::RunResult& result) {
  rapidjson::Document table = bindings::load_thresholds_file(path);
  metrics::MetricCatalog builtins;
  auto lookup = [&](std::string_view name) -> std::optional<metrics::MetricDef> {
    if (const metrics::MetricData* metric = result.metrics.find(name)) return metric->def;
    for (const auto& own : result.slo.results)
      if (own.slo.metric.name == name) return own.slo.metric;
    if (auto id = builtins.find(name)) return builtins.def(*id);
    return std::nullopt;
  };
  return thresholds::parse_thresholds(table, lookup, path, "thresholds",
                                      thresholds::UnknownMetrics::kNoData);
}

// Where in `slos` the abort_on_fail SLO that stopped the saved run is: the same
// key, window, expression and abort_on_fail. "" when the SLO file has no such SLO.
std::string abort_among(const std::vector<thresholds::SloDefinition>& slos,
                        const thresholds::SloReport& saved) {
  if (saved.aborted_by.empty()) return "";
  for (const auto& result : saved.results) {
    if (result.slo.where != saved.aborted_by) continue;
    for (const auto& slo : slos)
      if (slo.abort_on_fail && slo.window == result.slo.window &&
          slo.selector.filter == result.slo.selector.filter &&
          slo.selector.metric == result.slo.selector.metric &&
          slo.threshold.text == result.slo.threshold.text)
        return slo.where;
  }
  return "";
}

}  // namespace

SavedVerdict evaluate_saved(const result::RunResult& result, const std::string& result_path,
                            const std::string& slo_path, bool strict, const std::string& command,
                            const result::K6Summary* k6_summary) {
  std::vector<thresholds::SloDefinition> slos;
  std::string aborted_by;
  // The SLOs that stopped the run keep its abort, whether they are its own
  // or the same ones in an SLO file: the measurements stop where it did.
  if (!slo_path.empty()) {
    slos = slos_of_file(slo_path, result);
    aborted_by = abort_among(slos, result.slo);
  } else {
    for (const auto& r : result.slo.results) slos.push_back(r.slo);
    aborted_by = result.slo.aborted_by;
    // And the run's own SLOs keep its --strict.
    strict = strict || result.slo.strict;
  }
  SavedVerdict verdict;
  verdict.has_slos = !slos.empty();
  if (!verdict.has_slos) return verdict;
  if (k6_summary) {
    std::vector<std::string> missing;
    verdict.report = result::evaluate_on_k6_summary(slos, *k6_summary, strict, &missing);
    for (const auto& line : missing)
      fprintf(stderr, "lueng %s: %s\n", command.c_str(), line.c_str());
  } else {
    verdict.report = thresholds::evaluate_all(slos, result.metrics, result.duration_seconds, strict,
                                              aborted_by, result::seconds_in(result.time_series));
  }
  // As at the end of the run: a run that measured nothing is not a pass, whatever
  // SLOs are checked on it.
  result::apply_measurement_rules(verdict.report, result);
  std::string dirs_from = slo_path.empty() ? result_path : slo_path;
  if (std::string problem =
          bindings::add_recommendations(verdict.report, bindings::default_module_dirs(dirs_from));
      !problem.empty())
    fprintf(stderr, "lueng %s: %s\n", command.c_str(), problem.c_str());
  return verdict;
}

}  // namespace lueng::cli
