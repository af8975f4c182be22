#include "engine/thresholds/expression.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <iterator>

#include <fmt/format.h>

#include "engine/common/text.hpp"

namespace lueng::thresholds {

namespace {

bool parse_number(std::string_view text, double* out) {
  text = trim_whitespace(text);
  if (text.empty()) return false;
  if (text.front() == '+') text.remove_prefix(1);
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), *out);
  return ec == std::errc() && end == text.data() + text.size() && std::isfinite(*out);
}

constexpr const char* kAggregations = "avg, min, max, med, p(N), count, rate or value";

bool parse_aggregation(std::string_view text, Expression& e, std::string* error) {
  static constexpr std::pair<std::string_view, Aggregation> kNames[] = {
      {"avg", Aggregation::kAvg},     {"min", Aggregation::kMin},     {"max", Aggregation::kMax},
      {"med", Aggregation::kMed},     {"count", Aggregation::kCount}, {"rate", Aggregation::kRate},
      {"value", Aggregation::kValue},
  };
  for (const auto& [name, aggregation] : kNames) {
    if (text == name) {
      e.aggregation = aggregation;
      return true;
    }
  }
  if (text.starts_with("p(") && text.ends_with(")")) {
    std::string_view inner = text.substr(2, text.size() - 3);
    double p;
    if (inner != trim_whitespace(inner)) {
      *error = fmt::format("'{}' is not a percentile: no spaces inside p(N), as in k6", text);
      return false;
    }
    if (!parse_number(inner, &p)) {
      *error = fmt::format("'{}' is not a percentile: p(N) takes a number N", text);
      return false;
    }
    if (p < 0 || p > 100) {
      *error = fmt::format("'{}': the percentile must be between 0 and 100", text);
      return false;
    }
    e.aggregation = Aggregation::kPercentile;
    e.percentile = p;
    return true;
  }
  if (text.empty())
    *error = fmt::format("the aggregation is missing (use {})", kAggregations);
  else
    *error = fmt::format("unknown aggregation '{}' (use {})", text, kAggregations);
  return false;
}

}  // namespace

const char* comparison_text(Comparison comparison) {
  switch (comparison) {
    case Comparison::kLess:
      return "<";
    case Comparison::kLessEqual:
      return "<=";
    case Comparison::kGreater:
      return ">";
    case Comparison::kGreaterEqual:
      return ">=";
    case Comparison::kEqual:
      return "==";
    case Comparison::kNotEqual:
      return "!=";
  }
  return "?";
}

std::string Expression::aggregation_text() const {
  switch (aggregation) {
    case Aggregation::kAvg:
      return "avg";
    case Aggregation::kMin:
      return "min";
    case Aggregation::kMax:
      return "max";
    case Aggregation::kMed:
      return "med";
    case Aggregation::kPercentile:
      return fmt::format("p({})", percentile);
    case Aggregation::kCount:
      return "count";
    case Aggregation::kRate:
      return "rate";
    case Aggregation::kValue:
      return "value";
  }
  return "?";
}

bool Expression::holds(double measured) const {
  switch (comparison) {
    case Comparison::kLess:
      return measured < bound;
    case Comparison::kLessEqual:
      return measured <= bound;
    case Comparison::kGreater:
      return measured > bound;
    case Comparison::kGreaterEqual:
      return measured >= bound;
    case Comparison::kEqual:
      return measured == bound;
    case Comparison::kNotEqual:
      return measured != bound;
  }
  return false;
}

namespace {

constexpr std::pair<std::string_view, Comparison> kOperators[] = {
    {"<", Comparison::kLess},          {"<=", Comparison::kLessEqual}, {">", Comparison::kGreater},
    {">=", Comparison::kGreaterEqual}, {"==", Comparison::kEqual},     {"===", Comparison::kEqual},
    {"!=", Comparison::kNotEqual},
};

}  // namespace

std::optional<ScannedExpression> scan_expression(std::string_view text, std::string* error) {
  text = trim_whitespace(text);
  // The operator is the first run of comparison characters (none is in a valid
  // aggregation or number, so any other cut k6's scanner makes fails as this one does).
  size_t op = text.find_first_of("<>=!");
  if (op == std::string_view::npos) {
    *error = fmt::format("'{}': no comparison operator (use <, <=, >, >=, == or !=)", text);
    return std::nullopt;
  }
  size_t op_end = op;
  while (op_end < text.size() &&
         std::string_view("<>=!").find(text[op_end]) != std::string_view::npos)
    ++op_end;
  std::string_view op_text = text.substr(op, op_end - op);
  auto known = [op_text](const auto& entry) { return entry.first == op_text; };
  if (std::none_of(std::begin(kOperators), std::end(kOperators), known)) {
    *error = fmt::format("'{}': unknown operator '{}' (use <, <=, >, >=, == or !=)", text, op_text);
    return std::nullopt;
  }
  return ScannedExpression{trim_whitespace(text.substr(0, op)), op_text,
                           trim_whitespace(text.substr(op_end))};
}

std::optional<Expression> parse_expression(std::string_view text, std::string* error) {
  Expression e;
  text = trim_whitespace(text);
  e.text = std::string(text);
  if (text.empty()) {
    *error = "the expression is empty (expected e.g. \"p(95)<3000\")";
    return std::nullopt;
  }
  auto scanned = scan_expression(text, error);
  if (!scanned) return std::nullopt;
  std::string_view op_text = scanned->comparison;
  for (const auto& [name, comparison] : kOperators)
    if (op_text == name) e.comparison = comparison;
  std::string aggregation_error;
  if (!parse_aggregation(scanned->aggregation, e, &aggregation_error)) {
    *error = fmt::format("'{}': {}", text, aggregation_error);
    return std::nullopt;
  }
  std::string_view bound = scanned->bound;
  if (!parse_number(bound, &e.bound)) {
    *error = bound.empty() ? fmt::format("'{}': the number after '{}' is missing", text, op_text)
                           : fmt::format("'{}': '{}' is not a number", text, bound);
    return std::nullopt;
  }
  return e;
}

bool aggregation_applies(Aggregation aggregation, metrics::MetricType type) {
  switch (type) {
    case metrics::MetricType::kCounter:
      return aggregation == Aggregation::kCount || aggregation == Aggregation::kRate;
    case metrics::MetricType::kGauge:
      return aggregation == Aggregation::kValue;
    case metrics::MetricType::kRate:
      return aggregation == Aggregation::kRate;
    case metrics::MetricType::kTrend:
      return aggregation == Aggregation::kAvg || aggregation == Aggregation::kMin ||
             aggregation == Aggregation::kMax || aggregation == Aggregation::kMed ||
             aggregation == Aggregation::kPercentile;
  }
  return false;
}

std::string aggregations_of(metrics::MetricType type) {
  switch (type) {
    case metrics::MetricType::kCounter:
      return "count or rate";
    case metrics::MetricType::kGauge:
      return "value";
    case metrics::MetricType::kRate:
      return "rate";
    case metrics::MetricType::kTrend:
      return "avg, min, max, med or p(N)";
  }
  return "";
}

double measure(const Expression& e, metrics::MetricType type, const metrics::Aggregate& a,
               double seconds) {
  switch (e.aggregation) {
    case Aggregation::kAvg:
      return a.trend.mean();
    case Aggregation::kMin:
      return a.trend.min();
    case Aggregation::kMax:
      return a.trend.max();
    case Aggregation::kMed:
      return a.trend.percentile(50);
    case Aggregation::kPercentile:
      return a.trend.percentile(e.percentile);
    case Aggregation::kCount:
      return a.sum;
    case Aggregation::kRate:
      if (type == metrics::MetricType::kCounter) return seconds > 0 ? a.sum / seconds : 0;
      return a.rate();
    case Aggregation::kValue:
      return a.last;
  }
  return 0;
}

}  // namespace lueng::thresholds
