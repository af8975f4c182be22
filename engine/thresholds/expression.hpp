#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "engine/metrics/aggregate.hpp"
#include "engine/metrics/metric.hpp"

namespace lueng::thresholds {

enum class Aggregation { kAvg, kMin, kMax, kMed, kPercentile, kCount, kRate, kValue };
enum class Comparison { kLess, kLessEqual, kGreater, kGreaterEqual, kEqual, kNotEqual };

// One k6 threshold expression: `aggregation operator number`, e.g. "p(95)<3000".
struct Expression {
  Aggregation aggregation = Aggregation::kAvg;
  double percentile = 0;  // for kPercentile, in [0, 100]
  Comparison comparison = Comparison::kLess;
  double bound = 0;
  std::string text;  // as written, trimmed

  std::string aggregation_text() const;  // "p(95)", "avg", ...
  bool holds(double measured) const;
};

// Parses k6's grammar: avg|min|max|med|p(N)|count|rate|value, then one of
// < <= > >= == === != (=== is ==, as in k6), then a number; spaces allowed between
// the parts, not inside p(N) (k6 reads "p( 95 )" as no percentile). Nothing (and
// *error saying what is wrong) for anything else.
std::optional<Expression> parse_expression(std::string_view text, std::string* error);

// An expression cut at its operator, each side trimmed, nothing checked but the
// operator (k6's scanThresholdExpression): "foo<=bar" is {"foo", "<=", "bar"}.
struct ScannedExpression {
  std::string_view aggregation;
  std::string_view comparison;
  std::string_view bound;
};
// Nothing when there is no operator or the run of operator characters is none of them
// (*error says which).
std::optional<ScannedExpression> scan_expression(std::string_view text, std::string* error);

const char* comparison_text(Comparison comparison);

// Which aggregations a metric type has, as k6 defines them: counters count and
// rate, gauges value, rates rate, trends avg, min, max, med and p(N).
bool aggregation_applies(Aggregation aggregation, metrics::MetricType type);
std::string aggregations_of(metrics::MetricType type);  // "avg, min, max, med or p(N)"

// The value an expression compares for a metric's aggregate; `seconds` is the
// time the samples were taken over (a counter's rate is count per second).
double measure(const Expression& expression, metrics::MetricType type,
               const metrics::Aggregate& aggregate, double seconds);

}  // namespace lueng::thresholds
