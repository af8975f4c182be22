#include "engine/exec/monitor_options.hpp"

#include <algorithm>

#include "engine/exec/option_values.hpp"
#include "engine/metrics/metric.hpp"

namespace lueng::exec {

namespace {

// Series per endpoint, and endpoints: each series is a handful of gauges, kept small
// so the tag-set bound is never what limits them.
constexpr size_t kMaxSeries = 32;
constexpr size_t kMaxTargets = 16;

MonitorTarget read_target(const std::string& url, const std::string& where) {
  std::string error;
  auto parsed = http::parse_url(url, &error);
  if (!parsed) throw ConfigError(where + ": '" + url + "' is not a URL: " + error);
  if (parsed->tls())
    throw ConfigError(where + ": '" + url +
                      "': only http:// metrics endpoints can be scraped (docs/lua-api.md)");
  MonitorTarget target;
  target.url = url;
  target.source = parsed->authority();
  target.parsed = std::move(*parsed);
  return target;
}

std::vector<std::string> read_strings(const rapidjson::Value& value, const std::string& where) {
  std::vector<std::string> out;
  if (value.IsString()) {
    out.emplace_back(value.GetString(), value.GetStringLength());
    return out;
  }
  if (value.IsObject() && value.MemberCount() == 0) return out;  // {} is Lua's empty table
  if (!value.IsArray()) throw ConfigError(where + ": must be a list of strings");
  for (const auto& item : value.GetArray()) {
    if (!item.IsString()) throw ConfigError(where + ": must be a list of strings");
    out.emplace_back(item.GetString(), item.GetStringLength());
  }
  return out;
}

}  // namespace

std::string monitor_metric_name(const MonitorOptions& options, const std::string& series) {
  std::string name = options.prefix + series;
  std::replace(name.begin(), name.end(), ':', '_');
  return name;
}

MonitorOptions read_monitor_options(const rapidjson::Value& options,
                                    const std::vector<std::string>& flag_urls) {
  MonitorOptions monitor;
  std::vector<std::string> urls;
  if (options.IsObject())
    if (auto it = options.FindMember("monitor"); it != options.MemberEnd()) {
      const rapidjson::Value& table = it->value;
      if (!table.IsObject())
        throw ConfigError("options.monitor: must be a table such as { targets = { URL } }");
      for (const auto& member : table.GetObject()) {
        std::string key = to_camel(member.name.GetString());
        std::string at = std::string("options.monitor.") + member.name.GetString();
        const rapidjson::Value& value = member.value;
        if (key == "targets") {
          urls = read_strings(value, at);
        } else if (key == "interval") {
          monitor.interval_seconds = read_duration(value, at);
          if (monitor.interval_seconds < 0.1) throw ConfigError(at + ": must be at least 100ms");
        } else if (key == "timeout") {
          monitor.timeout_seconds = read_duration(value, at);
          if (monitor.timeout_seconds < 0.01 || monitor.timeout_seconds > 60)
            throw ConfigError(at + ": must be from 10ms to 60s");
        } else if (key == "warmup") {
          monitor.warmup_seconds = read_duration(value, at);
        } else if (key == "prefix") {
          if (!value.IsString()) throw ConfigError(at + ": must be a string");
          monitor.prefix.assign(value.GetString(), value.GetStringLength());
        } else if (key == "series") {
          monitor.series = read_strings(value, at);
          if (monitor.series.empty()) throw ConfigError(at + ": names no series");
          if (monitor.series.size() > kMaxSeries)
            throw ConfigError(at + ": at most " + std::to_string(kMaxSeries) + " series");
        } else {
          throw ConfigError(at +
                            ": unknown option (targets, interval, timeout, warmup, prefix, "
                            "series)");
        }
      }
    }
  urls.insert(urls.end(), flag_urls.begin(), flag_urls.end());
  if (urls.size() > kMaxTargets)
    throw ConfigError("options.monitor.targets: at most " + std::to_string(kMaxTargets) +
                      " endpoints");
  for (const std::string& url : urls) {
    const bool from_flag = &url >= urls.data() + (urls.size() - flag_urls.size());
    monitor.targets.push_back(
        read_target(url, from_flag ? "--monitor" : "options.monitor.targets"));
  }
  for (const std::string& series : monitor.series) {
    for (const char* suffix : {"", "_growth"})
      if (!metrics::is_valid_metric_name(monitor_metric_name(monitor, series) + suffix))
        throw ConfigError("options.monitor.series: '" + series + "' with prefix '" +
                          monitor.prefix + "' is not a valid metric name");
  }
  return monitor;
}

}  // namespace lueng::exec
