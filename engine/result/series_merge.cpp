#include "engine/result/series_merge.hpp"

#include <algorithm>
#include <array>
#include <map>

namespace lueng::result {

namespace {

constexpr int64_t kWindowSeconds = 10;  // as exec::TimeSeriesBuilder's window

// Sums of one merged second before they become averages.
struct SecondSums {
  TimePoint point;
  double duration_total = 0;            // avg x requests
  std::array<double, 4> percentiles{};  // p50, p90, p95, p99, each x requests
  double window_p95 = 0;                // window p95 x window requests
  double window_weight = 0;
};

void add_point(SecondSums& sums, const TimePoint& p) {
  TimePoint& out = sums.point;
  out.add(p);
  out.vus += p.vus;
  out.vus_max += p.vus_max;
  out.busy = std::max(out.busy, p.busy);
  out.start_lag_p95 = std::max(out.start_lag_p95, p.start_lag_p95);
  out.duration_max = std::max(out.duration_max, p.duration_max);
  auto requests = static_cast<double>(p.requests);
  sums.duration_total += p.duration_avg * requests;
  sums.percentiles[0] += p.duration_p50 * requests;
  sums.percentiles[1] += p.duration_p90 * requests;
  sums.percentiles[2] += p.duration_p95 * requests;
  sums.percentiles[3] += p.duration_p99 * requests;
  auto window = static_cast<double>(p.window_requests);
  sums.window_p95 += p.window_p95 * window;
  sums.window_weight += window;
}

TimePoint finish_second(const SecondSums& sums) {
  TimePoint out = sums.point;
  if (out.requests > 0) {
    auto requests = static_cast<double>(out.requests);
    out.duration_avg = sums.duration_total / requests;
    out.duration_p50 = sums.percentiles[0] / requests;
    out.duration_p90 = sums.percentiles[1] / requests;
    out.duration_p95 = sums.percentiles[2] / requests;
    out.duration_p99 = sums.percentiles[3] / requests;
  }
  if (sums.window_weight > 0) out.window_p95 = sums.window_p95 / sums.window_weight;
  return out;
}

// The window's request count from the merged seconds themselves (seconds
// without a point count nothing, as in the builder); its p95 from the merged
// seconds when no input had a window at this second (its instances had ended).
void fill_windows(std::vector<TimePoint>& series) {
  size_t first = 0;
  uint64_t requests = 0;
  double p95_sum = 0;
  for (size_t i = 0; i < series.size(); ++i) {
    requests += series[i].requests;
    p95_sum += series[i].duration_p95 * static_cast<double>(series[i].requests);
    while (series[first].second <= series[i].second - kWindowSeconds) {
      requests -= series[first].requests;
      p95_sum -= series[first].duration_p95 * static_cast<double>(series[first].requests);
      ++first;
    }
    bool had_window = series[i].window_p95 > 0;  // some input's own window
    series[i].window_requests = requests;
    if (!had_window && requests > 0) series[i].window_p95 = p95_sum / static_cast<double>(requests);
  }
}

// Running totals: each input's latest totals at or before each merged second,
// weighted by its requests so far.
void fill_totals(std::vector<TimePoint>& series, const std::vector<SeriesPart>& parts) {
  struct Cursor {
    size_t next = 0;
    uint64_t requests = 0;  // so far
    const TimePoint* latest = nullptr;
  };
  std::vector<Cursor> cursors(parts.size());
  for (TimePoint& out : series) {
    double weight = 0, avg = 0;
    std::array<double, kLocustPercentiles.size()> percentiles{};
    bool any = false;
    out.total_min = out.total_max = out.total_avg = 0;
    for (size_t k = 0; k < parts.size(); ++k) {
      Cursor& c = cursors[k];
      const std::vector<TimePoint>& points = *parts[k].points;
      while (c.next < points.size() && points[c.next].second + parts[k].offset <= out.second) {
        c.requests += points[c.next].requests;
        c.latest = &points[c.next++];
      }
      if (!c.latest || c.requests == 0) continue;
      const TimePoint& p = *c.latest;
      out.total_min = any ? std::min(out.total_min, p.total_min) : p.total_min;
      out.total_max = std::max(out.total_max, p.total_max);
      any = true;
      auto w = static_cast<double>(c.requests);
      weight += w;
      avg += p.total_avg * w;
      for (size_t i = 0; i < percentiles.size(); ++i) percentiles[i] += p.total_percentiles[i] * w;
    }
    if (weight == 0) continue;
    out.total_avg = avg / weight;
    for (size_t i = 0; i < percentiles.size(); ++i)
      out.total_percentiles[i] = percentiles[i] / weight;
  }
}

}  // namespace

std::vector<TimePoint> merge_series(const std::vector<SeriesPart>& parts) {
  std::map<int64_t, SecondSums> seconds;
  for (const SeriesPart& part : parts)
    for (const TimePoint& p : *part.points) {
      SecondSums& sums = seconds[p.second + part.offset];
      sums.point.second = p.second + part.offset;
      add_point(sums, p);
    }
  std::vector<TimePoint> series;
  series.reserve(seconds.size());
  for (const auto& [second, sums] : seconds) series.push_back(finish_second(sums));
  fill_windows(series);
  fill_totals(series, parts);
  return series;
}

}  // namespace lueng::result
