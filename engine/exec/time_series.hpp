#pragma once

#include <deque>
#include <map>
#include <vector>

#include "engine/exec/endpoint_keys.hpp"
#include "engine/exec/interval_stats.hpp"
#include "engine/result/run_result.hpp"

namespace lueng::exec {

// Gathers the workers' per-second stats into the run's time series. Seconds stay
// open (with their histograms) until every worker has had time to report them,
// then shrink to a TimePoint, so memory stays flat during long soaks.
class TimeSeriesBuilder {
 public:
  static constexpr size_t kWindowSeconds = 10;
  void add(const IntervalStats& stats);
  void set_vus(int64_t second, double vus, double vus_max);
  // Closes the seconds before `second`.
  void close_before(int64_t second);
  std::vector<result::TimePoint> finish();
  // The seconds closed so far.
  const std::vector<result::TimePoint>& closed() const { return closed_; }
  // The per-endpoint and per-custom-metric series of the seconds closed so far.
  void fill_details(result::RunResult& result, const std::vector<EndpointKeys::Key>& endpoints,
                    const metrics::MetricCatalog& catalog) const;

 private:
  struct Open {
    IntervalStats stats;
    double vus = 0;
    double vus_max = 0;
  };
  std::map<int64_t, Open> open_;
  std::vector<result::TimePoint> closed_;
  std::vector<std::vector<result::EndpointPoint>> endpoint_points_;  // [endpoint index]
  std::vector<std::vector<result::MetricPoint>> metric_points_;      // [metric id]
  metrics::Histogram total_duration_;
  metrics::Histogram second_duration_;     // scratch of close_before()
  std::deque<metrics::Histogram> window_;  // the last kWindowSeconds seconds' http_req_duration

  void close_details(const IntervalStats& stats);
};

}  // namespace lueng::exec
