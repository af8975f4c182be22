#include "engine/metrics/trend_stats.hpp"

#include <cstdlib>

namespace lueng::metrics {

namespace {

bool is_named_stat(std::string_view stat) {
  return stat == "avg" || stat == "min" || stat == "med" || stat == "max" || stat == "count";
}

bool looks_like_percentile(std::string_view stat) {
  return stat.size() >= 3 && stat.substr(0, 2) == "p(" && stat.back() == ')';
}

// "p(95)" -> 95; nothing for a number that does not parse or lies outside [0, 100].
std::optional<double> percentile_of(std::string_view stat) {
  if (!looks_like_percentile(stat)) return std::nullopt;
  std::string number(stat.substr(2, stat.size() - 3));
  char* end = nullptr;
  double p = std::strtod(number.c_str(), &end);
  if (number.empty() || *end != '\0' || !(p >= 0 && p <= 100)) return std::nullopt;
  return p;
}

}  // namespace

std::string trend_stat_problem(std::string_view stat) {
  if (is_named_stat(stat)) return "";
  if (!looks_like_percentile(stat))
    return "invalid trend stat '" + std::string(stat) + "', unknown format";
  if (!percentile_of(stat))
    return "invalid percentile trend stat value '" + std::string(stat) +
           "', provide a number between 0 and 100";
  return "";
}

std::optional<double> trend_stat_value(const Histogram& h, std::string_view stat) {
  if (stat == "avg") return h.mean();
  if (stat == "min") return h.min();
  if (stat == "max") return h.max();
  if (stat == "med") return h.percentile(50);
  if (stat == "count") return static_cast<double>(h.count());
  if (auto p = percentile_of(stat)) return h.percentile(*p);
  return std::nullopt;
}

}  // namespace lueng::metrics
