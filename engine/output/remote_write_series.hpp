#pragma once

#include <cstdint>
#include <deque>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "engine/metrics/aggregate.hpp"
#include "engine/output/native_histogram.hpp"
#include "engine/output/output.hpp"
#include "engine/output/remote_write_config.hpp"

namespace lueng::output {

// The labels of one tag set, as Prometheus takes them: valid names, no empty
// values, sorted by name; `name_at` is where __name__ goes among them.
struct LabelSet {
  std::vector<std::pair<std::string, std::string>> labels;
  size_t name_at = 0;
};

// One value of one series at push time: a float, or with trendAsNativeHistogram
// a trend's native histogram (an index into the histograms of the snapshot).
struct SeriesPoint {
  const LabelSet* labels;
  const std::string* name;  // k6_http_reqs_total, k6_http_req_duration_p99...
  double value;
  int32_t histogram = -1;
};

// Every series --out prometheus-rw sends, with k6's prometheus-rw naming: the
// k6_ prefix, counters as _total, rates as _rate, gauges as they are, trends as
// one series per trend stat (_p99, _avg...) in seconds for time trends. Values
// are cumulative since the start of the run, as k6 sends them (a counter's
// total, a rate's ratio, a trend's statistics over every sample so far). With
// native histograms, a trend is one histogram series instead, named as k6
// names it: k6_<metric>_seconds for a time trend (in seconds), k6_<metric> else.
//
// add() runs on the output writer's thread; snapshot() on any other. They share
// one mutex, held by snapshot() only to read the numbers: label sets and names
// never change once made, so points refer to them without copies.
class RemoteWriteSeries {
 public:
  // Past max_label_sets distinct tag sets, the others fold into name="(other)",
  // the bound the workers' sinks apply.
  RemoteWriteSeries(std::vector<std::pair<std::string, std::string>> extra_labels,
                    std::vector<TrendStat> trend_stats, size_t max_label_sets = 20000,
                    bool native_histograms = false);
  RemoteWriteSeries(const RemoteWriteSeries&) = delete;
  RemoteWriteSeries& operator=(const RemoteWriteSeries&) = delete;

  void add(const Sample& sample);
  // Replaces `points` with the current value of every series, and `histograms`
  // with copies of the native histograms they refer to; returns their number.
  size_t snapshot(std::vector<SeriesPoint>& points, std::vector<NativeHistogram>& histograms);

  // Tag sets folded into name="(other)" so far.
  uint64_t folded_tag_sets();

 private:
  struct Series {
    metrics::MetricType type;
    bool is_time;
    const LabelSet* labels;
    const std::vector<std::string>* names;  // one per value: a trend's stats, or one
    metrics::Aggregate aggregate;
    NativeHistogram native;  // a trend's, with native histograms (then no aggregate)
  };
  struct LabelSetEntry {
    LabelSet set;
    std::vector<int32_t> series;  // [metric id] -> index in series_, -1 when none yet
  };

  uint32_t label_set_of(std::string_view tags);
  Series& series_of(const Sample& sample);
  const std::vector<std::string>* names_of(const metrics::MetricDef& def, metrics::MetricId metric);

  std::vector<std::pair<std::string, std::string>> extra_labels_;
  std::vector<TrendStat> trend_stats_;
  size_t max_label_sets_;
  bool native_histograms_;

  std::mutex mutex_;
  std::deque<LabelSetEntry> label_sets_;  // a deque: points keep pointing at them
  std::unordered_map<std::string, uint32_t> label_set_ids_;  // by canonical tag set
  uint64_t folded_ = 0;
  std::deque<Series> series_;
  std::deque<std::vector<std::string>> names_;                 // a deque: series point at them
  std::vector<const std::vector<std::string>*> metric_names_;  // [metric id], null until seen
};

// A tag name as a Prometheus label name: [a-zA-Z_][a-zA-Z0-9_]*, other
// characters as '_'; names Prometheus reserves ("__" first) get "tag_" before them.
std::string prometheus_label_name(std::string_view tag);
// Text as valid UTF-8 (Prometheus refuses a whole request over one bad label):
// each byte that does not start a valid sequence becomes U+FFFD.
std::string valid_utf8(std::string_view text);

}  // namespace lueng::output
