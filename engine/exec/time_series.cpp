#include "engine/exec/time_series.hpp"

namespace lueng::exec {

void TimeSeriesBuilder::add(const IntervalStats& stats) {
  if (!closed_.empty() && stats.second <= closed_.back().second) return;  // too late to count
  Open& open = open_[stats.second];
  open.stats.second = stats.second;
  open.stats.merge(stats);
}

void TimeSeriesBuilder::set_vus(int64_t second, double vus, double vus_max) {
  if (!closed_.empty() && second <= closed_.back().second) return;
  Open& open = open_[second];
  open.stats.second = second;
  open.vus = vus;
  open.vus_max = vus_max;
}

void TimeSeriesBuilder::close_before(int64_t second) {
  while (!open_.empty() && open_.begin()->first < second) {
    const Open& open = open_.begin()->second;
    const IntervalStats& s = open.stats;
    result::TimePoint point;
    static_cast<result::IntervalCounts&>(point) = s;
    point.second = s.second;
    point.vus = open.vus;
    point.vus_max = open.vus_max;
    if (s.start_lag.count() > 0) point.start_lag_p95 = s.start_lag.percentile(95);
    point.busy = s.busy;
    // Each request was counted by endpoint only; the second's whole distribution
    // is their sum, made once per closed second rather than once per request.
    s.duration_into(second_duration_);
    const metrics::Histogram& duration = second_duration_;
    if (duration.count() > 0) {
      point.duration_avg = duration.mean();
      point.duration_p50 = duration.percentile(50);
      point.duration_p90 = duration.percentile(90);
      point.duration_p95 = duration.percentile(95);
      point.duration_p99 = duration.percentile(99);
      point.duration_max = duration.max();
      total_duration_.merge(duration);
    }
    // Seconds without a report still take their place in the window.
    int64_t gap = closed_.empty() ? 0 : s.second - closed_.back().second - 1;
    for (int64_t i = 0; i < gap && i < static_cast<int64_t>(kWindowSeconds); ++i)
      window_.emplace_back();
    window_.push_back(duration);
    while (window_.size() > kWindowSeconds) window_.pop_front();
    metrics::Histogram window;
    for (const auto& h : window_) window.merge(h);
    point.window_requests = window.count();
    point.window_p95 = window.percentile(95);
    if (total_duration_.count() > 0) {
      point.total_min = total_duration_.min();
      point.total_avg = total_duration_.mean();
      point.total_max = total_duration_.max();
      for (size_t i = 0; i < result::kLocustPercentiles.size(); ++i)
        point.total_percentiles[i] = total_duration_.percentile(result::kLocustPercentiles[i]);
    }
    closed_.push_back(point);
    close_details(s);
    open_.erase(open_.begin());
  }
}

void TimeSeriesBuilder::close_details(const IntervalStats& s) {
  for (uint32_t i = 0; i < s.endpoints.size(); ++i) {
    const EndpointSecond& e = s.endpoints[i];
    if (e.requests == 0) continue;
    if (i >= endpoint_points_.size()) endpoint_points_.resize(i + 1);
    endpoint_points_[i].push_back({s.second, e.requests, e.failed, e.duration.mean(),
                                   e.duration.percentile(95), e.duration.percentile(99),
                                   e.duration.max()});
  }
  if (!s.has_custom) return;
  for (metrics::MetricId m = 0; m < s.custom.size(); ++m) {
    const metrics::Aggregate& a = s.custom[m].values;
    if (a.count == 0) continue;
    result::MetricPoint point{s.second, a.count, 0, 0, 0};
    switch (s.custom[m].type) {
      case metrics::MetricType::kCounter:
        point.value = a.sum;
        break;
      case metrics::MetricType::kRate:
        point.value = a.rate();
        break;
      case metrics::MetricType::kGauge:
        point.value = a.last;
        point.max = a.max;
        break;
      case metrics::MetricType::kTrend:
        point.value = a.trend.mean();
        point.p95 = a.trend.percentile(95);
        point.max = a.trend.max();
        break;
    }
    if (m >= metric_points_.size()) metric_points_.resize(m + 1);
    metric_points_[m].push_back(point);
  }
}

void TimeSeriesBuilder::fill_details(result::RunResult& result,
                                     const std::vector<EndpointKeys::Key>& endpoints,
                                     const metrics::MetricCatalog& catalog) const {
  result.endpoint_series.clear();
  for (size_t i = 0; i < endpoint_points_.size() && i < endpoints.size(); ++i)
    if (!endpoint_points_[i].empty())
      result.endpoint_series.push_back(
          {endpoints[i].first, endpoints[i].second, endpoint_points_[i]});
  result.metric_series.clear();
  for (size_t m = 0; m < metric_points_.size() && m < catalog.size(); ++m) {
    if (metric_points_[m].empty()) continue;
    const metrics::MetricDef& def = catalog.def(static_cast<metrics::MetricId>(m));
    result.metric_series.push_back({def.name, def.type, def.is_time, metric_points_[m]});
  }
}

std::vector<result::TimePoint> TimeSeriesBuilder::finish() {
  if (!open_.empty()) close_before(open_.rbegin()->first + 1);
  return std::move(closed_);
}

}  // namespace lueng::exec
