#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/metrics/aggregate.hpp"
#include "engine/metrics/metric_set.hpp"
#include "engine/thresholds/slo.hpp"
#include "engine/thresholds/windows.hpp"

namespace lueng::thresholds {

// The tier logic: NO DATA without samples; a missed threshold is CRITICAL at P0
// and FAIL at P1/P2; a met threshold with a missed warn is WARNING; else PASS.
SloStatus slo_status(bool has_data, bool meets_threshold, bool meets_warn, Priority priority);

// What one result weighs in the exit status: 0 met, 1 failing, 2 critical. NO DATA
// fails at its priority unless allow_empty; --strict makes WARNING failing.
int failure_level(const SloResult& result, bool strict);

// 100% excellent, 90-99% good, 70-89% fair, below 70% critical.
const char* compliance_rating(double compliance);

// One SLO against the samples it selects; `seconds` is what they were taken over.
SloResult evaluate(const SloDefinition& slo, const metrics::Aggregate& samples, double seconds);
SloResult evaluate(const SloDefinition& slo, const metrics::MetricSet& metrics, double seconds);

// The samples an SLO selects: its metric, or the sub-metric its tags filter.
metrics::Aggregate selected_samples(const SloDefinition& slo, const metrics::MetricSet& metrics);

// Fills in met, compliance, rating, verdict and exit code from the results.
void decide(SloReport& report);

// A metric's per-second series, for SLOs with a window; nothing for a metric the
// series does not keep.
using SecondsOf = std::function<std::vector<SecondValue>(std::string_view metric)>;

// Every SLO: those with a window on `seconds_of` (NO DATA without it), the
// others on `metrics`.
SloReport evaluate_all(const std::vector<SloDefinition>& slos, const metrics::MetricSet& metrics,
                       double seconds, bool strict, const std::string& aborted_by,
                       const SecondsOf& seconds_of = {});

}  // namespace lueng::thresholds
