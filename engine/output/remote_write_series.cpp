// The series of --out prometheus-rw: aggregated on the writer thread, read by
// the push thread.

#include "engine/output/remote_write_series.hpp"

#include <algorithm>
#include <cstring>

#include "engine/metrics/sink.hpp"
#include "engine/metrics/tags.hpp"

namespace lueng::output {

using metrics::MetricType;

namespace {

constexpr std::string_view kNameLabel = "__name__";
constexpr std::string_view kPrefix = "k6_";

double trend_value(const TrendStat& stat, const metrics::Histogram& trend, bool is_time) {
  double value = 0;
  switch (stat.kind) {
    case TrendStat::Kind::kAvg:
      value = trend.mean();
      break;
    case TrendStat::Kind::kMin:
      value = trend.min();
      break;
    case TrendStat::Kind::kMed:
      value = trend.percentile(50);
      break;
    case TrendStat::Kind::kMax:
      value = trend.max();
      break;
    case TrendStat::Kind::kCount:
      return static_cast<double>(trend.count());  // a count, whatever the unit
    case TrendStat::Kind::kSum:
      value = trend.sum();
      break;
    case TrendStat::Kind::kPercentile:
      value = trend.percentile(stat.percentile);
      break;
  }
  // Prometheus' base unit of time is the second; lueng's trends hold milliseconds.
  return is_time ? value / 1000 : value;
}

// The length of the valid UTF-8 sequence at text[at], or 0.
size_t utf8_sequence(std::string_view text, size_t at) {
  auto byte = [&](size_t i) { return static_cast<unsigned char>(text[i]); };
  unsigned char first = byte(at);
  if (first < 0x80) return 1;
  size_t length = first >= 0xF0 ? 4 : first >= 0xE0 ? 3 : first >= 0xC2 ? 2 : 0;
  if (length == 0 || first > 0xF4 || at + length > text.size()) return 0;
  for (size_t i = 1; i < length; ++i)
    if ((byte(at + i) & 0xC0) != 0x80) return 0;
  unsigned char second = byte(at + 1);
  if (first == 0xE0 && second < 0xA0) return 0;  // overlong
  if (first == 0xED && second > 0x9F) return 0;  // surrogates
  if (first == 0xF0 && second < 0x90) return 0;  // overlong
  if (first == 0xF4 && second > 0x8F) return 0;  // past U+10FFFF
  return length;
}

}  // namespace

std::string prometheus_label_name(std::string_view tag) {
  std::string name;
  if (tag.starts_with("__")) name = "tag_";
  for (char c : tag) {
    bool letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
    name += letter || (c >= '0' && c <= '9') ? c : '_';
  }
  if (name.empty() || (name[0] >= '0' && name[0] <= '9')) name.insert(0, "_");
  return name;
}

std::string valid_utf8(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t at = 0; at < text.size();) {
    size_t length = utf8_sequence(text, at);
    if (length == 0) {
      out += "\xEF\xBF\xBD";
      ++at;
    } else {
      out.append(text, at, length);
      at += length;
    }
  }
  return out;
}

RemoteWriteSeries::RemoteWriteSeries(std::vector<std::pair<std::string, std::string>> extra_labels,
                                     std::vector<TrendStat> trend_stats, size_t max_label_sets,
                                     bool native_histograms)
    : trend_stats_(std::move(trend_stats)),
      max_label_sets_(max_label_sets),
      native_histograms_(native_histograms) {
  for (auto& [name, value] : extra_labels)
    if (!value.empty()) extra_labels_.emplace_back(prometheus_label_name(name), valid_utf8(value));
}

void RemoteWriteSeries::add(const Sample& sample) {
  std::lock_guard lock(mutex_);
  Series& series = series_of(sample);
  if (native_histograms_ && series.type == MetricType::kTrend)
    series.native.add(series.is_time ? sample.value / 1000 : sample.value);
  else
    series.aggregate.add(series.type, sample.value, static_cast<uint64_t>(sample.unix_ns));
}

RemoteWriteSeries::Series& RemoteWriteSeries::series_of(const Sample& sample) {
  // What this output renders a tag set to is the number of its label set, so a
  // sample finds its series without hashing its tags again.
  uint32_t id = 0;
  if (!sample.rendered_tags.ready) {
    id = label_set_of(sample.tags);
    sample.rendered_tags.text.assign(reinterpret_cast<const char*>(&id), sizeof id);
    sample.rendered_tags.ready = true;
  } else {
    std::memcpy(&id, sample.rendered_tags.text.data(), sizeof id);
  }
  LabelSetEntry& entry = label_sets_[id];
  if (entry.series.size() <= sample.metric) entry.series.resize(sample.metric + 1, -1);
  int32_t& index = entry.series[sample.metric];
  if (index < 0) {
    index = static_cast<int32_t>(series_.size());
    series_.push_back({sample.def.type,
                       sample.def.is_time,
                       &entry.set,
                       names_of(sample.def, sample.metric),
                       {},
                       {}});
  }
  return series_[static_cast<size_t>(index)];
}

uint32_t RemoteWriteSeries::label_set_of(std::string_view tags) {
  if (auto known = label_set_ids_.find(std::string(tags)); known != label_set_ids_.end())
    return known->second;
  if (label_sets_.size() >= max_label_sets_ && tags != metrics::Sink::kOverflowTags) {
    ++folded_;
    return label_set_of(metrics::Sink::kOverflowTags);
  }
  LabelSet set;
  metrics::for_each_tag(tags, [&](std::string_view key, std::string_view value) {
    if (!value.empty()) set.labels.emplace_back(prometheus_label_name(key), valid_utf8(value));
  });
  for (const auto& extra : extra_labels_) set.labels.push_back(extra);
  // Tags first, then the extra labels: a tag keeps its value when both name a label.
  std::stable_sort(set.labels.begin(), set.labels.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  set.labels.erase(std::unique(set.labels.begin(), set.labels.end(),
                               [](const auto& a, const auto& b) { return a.first == b.first; }),
                   set.labels.end());
  set.name_at =
      static_cast<size_t>(std::lower_bound(set.labels.begin(), set.labels.end(), kNameLabel,
                                           [](const auto& label, std::string_view name) {
                                             return label.first < name;
                                           }) -
                          set.labels.begin());
  auto id = static_cast<uint32_t>(label_sets_.size());
  label_sets_.push_back({std::move(set), {}});
  label_set_ids_.emplace(std::string(tags), id);
  return id;
}

const std::vector<std::string>* RemoteWriteSeries::names_of(const metrics::MetricDef& def,
                                                            metrics::MetricId metric) {
  if (metric_names_.size() <= metric) metric_names_.resize(metric + 1, nullptr);
  if (metric_names_[metric]) return metric_names_[metric];
  std::string base = std::string(kPrefix) + def.name;
  std::vector<std::string>& names = names_.emplace_back();
  switch (def.type) {
    case MetricType::kCounter:
      names.push_back(base + "_total");
      break;
    case MetricType::kGauge:
      names.push_back(base);
      break;
    case MetricType::kRate:
      names.push_back(base + "_rate");
      break;
    case MetricType::kTrend:
      if (native_histograms_)
        names.push_back(def.is_time ? base + "_seconds" : base);
      else
        for (const TrendStat& stat : trend_stats_) names.push_back(base + "_" + stat.suffix);
      break;
  }
  metric_names_[metric] = &names;
  return &names;
}

size_t RemoteWriteSeries::snapshot(std::vector<SeriesPoint>& points,
                                   std::vector<NativeHistogram>& histograms) {
  points.clear();
  histograms.clear();
  std::lock_guard lock(mutex_);
  for (const Series& series : series_) {
    const metrics::Aggregate& aggregate = series.aggregate;
    const std::vector<std::string>& names = *series.names;
    switch (series.type) {
      case MetricType::kCounter:
        points.push_back({series.labels, &names[0], aggregate.sum});
        break;
      case MetricType::kGauge:
        points.push_back({series.labels, &names[0], aggregate.last});
        break;
      case MetricType::kRate:
        points.push_back({series.labels, &names[0], aggregate.rate()});
        break;
      case MetricType::kTrend:
        if (native_histograms_) {
          points.push_back({series.labels, &names[0], 0, static_cast<int32_t>(histograms.size())});
          histograms.push_back(series.native);
          break;
        }
        for (size_t i = 0; i < trend_stats_.size(); ++i)
          points.push_back({series.labels, &names[i],
                            trend_value(trend_stats_[i], aggregate.trend, series.is_time)});
        break;
    }
  }
  return points.size();
}

uint64_t RemoteWriteSeries::folded_tag_sets() {
  std::lock_guard lock(mutex_);
  return folded_;
}

}  // namespace lueng::output
