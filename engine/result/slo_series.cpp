#include "engine/result/slo_series.hpp"

namespace lueng::result {

std::vector<thresholds::SecondValue> seconds_of(std::string_view metric,
                                                const std::vector<TimePoint>& series) {
  std::vector<thresholds::SecondValue> out;
  auto counted = [&](auto samples, auto sum) {
    out.reserve(series.size());
    for (const TimePoint& p : series)
      out.push_back({p.second, static_cast<uint64_t>(samples(p)), static_cast<double>(sum(p)), 0});
  };
  if (metric == "http_req_failed")
    counted([](const TimePoint& p) { return p.requests; },
            [](const TimePoint& p) { return p.failed; });
  else if (metric == "checks")
    counted([](const TimePoint& p) { return p.checks_passed + p.checks_failed; },
            [](const TimePoint& p) { return p.checks_passed; });
  else if (metric == "http_reqs")
    counted([](const TimePoint& p) { return p.requests; },
            [](const TimePoint& p) { return p.requests; });
  else if (metric == "iterations")
    counted([](const TimePoint& p) { return p.iterations; },
            [](const TimePoint& p) { return p.iterations; });
  else if (metric == "dropped_iterations")
    counted([](const TimePoint& p) { return p.dropped; },
            [](const TimePoint& p) { return p.dropped; });
  else if (metric == "data_sent")
    counted([](const TimePoint& p) { return p.requests; },
            [](const TimePoint& p) { return p.data_sent; });
  else if (metric == "data_received")
    counted([](const TimePoint& p) { return p.requests; },
            [](const TimePoint& p) { return p.data_received; });
  else if (metric == "http_req_duration")
    for (const TimePoint& p : series)
      out.push_back(
          {p.second, p.requests, p.duration_avg * static_cast<double>(p.requests), p.duration_max});
  return out;
}

thresholds::SecondsOf seconds_in(const std::vector<TimePoint>& series) {
  return [&series](std::string_view metric) { return seconds_of(metric, series); };
}

}  // namespace lueng::result
