#include "engine/thresholds/evaluate.hpp"

#include <algorithm>
#include <cmath>

namespace lueng::thresholds {

SloStatus slo_status(bool has_data, bool meets_threshold, bool meets_warn, Priority priority) {
  if (!has_data) return SloStatus::kNoData;
  if (!meets_threshold) return priority == Priority::kP0 ? SloStatus::kCritical : SloStatus::kFail;
  return meets_warn ? SloStatus::kPass : SloStatus::kWarning;
}

int failure_level(const SloResult& result, bool strict) {
  switch (result.status) {
    case SloStatus::kPass:
      return 0;
    case SloStatus::kWarning:
      return strict ? 1 : 0;
    case SloStatus::kFail:
      return 1;
    case SloStatus::kCritical:
      return 2;
    case SloStatus::kNoData:
      if (result.slo.allow_empty) return 0;
      return result.slo.priority == Priority::kP0 ? 2 : 1;
  }
  return 2;
}

const char* compliance_rating(double compliance) {
  if (compliance >= 100) return "excellent";
  if (compliance >= 90) return "good";
  if (compliance >= 70) return "fair";
  return "critical";
}

// Counters of events lueng records whenever one happens: no sample is their zero,
// not a metric the script never fed, so `dropped_iterations: count<1` passes a
// run that dropped none, as in k6.
namespace {
bool zero_without_samples(const SloDefinition& slo) {
  return slo.selector.metric == "dropped_iterations" || slo.selector.metric == "script_errors";
}
}  // namespace

SloResult evaluate(const SloDefinition& slo, const metrics::Aggregate& samples, double seconds) {
  SloResult result;
  result.slo = slo;
  result.samples = samples.count;
  bool has_data = samples.count > 0 || zero_without_samples(slo);
  bool meets = true, meets_warn = true;
  if (has_data) {
    result.value = measure(slo.threshold, slo.metric.type, samples, seconds);
    meets = slo.threshold.holds(result.value);
    if (slo.warn) {
      result.warn_value = measure(*slo.warn, slo.metric.type, samples, seconds);
      meets_warn = slo.warn->holds(*result.warn_value);
    }
    if (slo.threshold.bound != 0)
      result.deviation_percent =
          (result.value - slo.threshold.bound) / std::fabs(slo.threshold.bound) * 100;
  }
  result.status = slo_status(has_data, meets, meets_warn, slo.priority);
  return result;
}

metrics::Aggregate selected_samples(const SloDefinition& slo, const metrics::MetricSet& metrics) {
  const metrics::MetricData* metric = metrics.find(slo.selector.metric);
  if (!metric) return {};
  if (slo.selector.filter.empty()) return metric->total;
  return metrics.submetric(*metric, slo.selector.filter);
}

SloResult evaluate(const SloDefinition& slo, const metrics::MetricSet& metrics, double seconds) {
  return evaluate(slo, selected_samples(slo, metrics), seconds);
}

void decide(SloReport& report) {
  int level = report.aborted_by.empty() ? 0 : 2;
  bool warnings = false;
  report.met = 0;
  for (const auto& result : report.results) {
    int own = failure_level(result, report.strict);
    level = std::max(level, own);
    if (result.status == SloStatus::kWarning) warnings = true;
    if (result.status == SloStatus::kPass || result.status == SloStatus::kWarning ||
        (result.status == SloStatus::kNoData && result.slo.allow_empty))
      ++report.met;
  }
  report.compliance = report.results.empty()
                          ? 100
                          : 100.0 * report.met / static_cast<double>(report.results.size());
  report.rating = compliance_rating(report.compliance);
  report.exit_code = level;
  if (!report.aborted_by.empty())
    report.verdict = "ABORTED";
  else if (level == 2)
    report.verdict = "CRITICAL";
  else if (level == 1)
    report.verdict = "FAILED";
  else
    report.verdict = warnings ? "PASSED WITH WARNINGS" : "PASSED";
}

SloReport evaluate_all(const std::vector<SloDefinition>& slos, const metrics::MetricSet& metrics,
                       double seconds, bool strict, const std::string& aborted_by,
                       const SecondsOf& seconds_of) {
  SloReport report;
  report.strict = strict;
  report.aborted_by = aborted_by;
  for (const auto& slo : slos) {
    if (slo.window > 0)
      report.results.push_back(evaluate_windows(
          slo, seconds_of ? seconds_of(slo.selector.metric) : std::vector<SecondValue>{}, seconds));
    else
      report.results.push_back(evaluate(slo, metrics, seconds));
  }
  decide(report);
  return report;
}

}  // namespace lueng::thresholds
