#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "engine/http/tls_options.hpp"

namespace lueng::output {

// A statistic of a trend sent as a series of its own (k6's trend stats):
// "p(99)" as k6_<metric>_p99, "avg" as k6_<metric>_avg.
struct TrendStat {
  enum class Kind { kAvg, kMin, kMed, kMax, kCount, kSum, kPercentile };
  Kind kind = Kind::kPercentile;
  double percentile = 0;  // kPercentile: 0..100
  std::string suffix;     // "p99", "p999" (p(99.9)), "avg"...
};

// How --out prometheus-rw pushes: k6's prometheus-rw options and their defaults
// (internal/output/prometheusrw/remotewrite/config.go), plus lueng's extra
// labels and CA file.
struct RemoteWriteConfig {
  std::string url = "http://127.0.0.1:9090/api/v1/write";
  double push_interval_seconds = 5;
  double timeout_seconds = 5;  // one push request, as k6
  std::vector<std::pair<std::string, std::string>> headers;
  std::string username, password;  // basic auth when username is set
  std::string bearer_token;
  std::vector<std::pair<std::string, std::string>> labels;  // on every series
  // k6's summary statistics plus p(99) (k6 sends p(99) alone): what the shipped
  // dashboard and alert rules query.
  std::vector<TrendStat> trend_stats;
  // Trends as Prometheus native histograms instead of trend_stats' series
  // (k6's trendAsNativeHistogram; the receiving Prometheus needs its
  // native-histograms feature).
  bool trend_as_native_histogram = false;
  bool stale_markers = false;  // mark every series stale after the last push
  http::TlsOptions tls;
};

// Reads a comma-separated list of k6 trend stats ("p(95),p(99),avg"). Returns ""
// or the problem.
std::string parse_trend_stats(std::string_view text, std::vector<TrendStat>* stats);

// Environment variables as NAME, VALUE pairs.
using Environment = std::vector<std::pair<std::string, std::string>>;
Environment process_environment();

// The configuration from the environment (K6_PROMETHEUS_RW_*, and
// LUENG_PROMETHEUS_RW_* for lueng's additions) and then the --out argument,
// which wins: either a URL alone or "key=value,..." pairs (url=..., pushInterval=2s,
// headers.X-Scope-OrgID=team, labels.testid=nightly...; k6's argument keys).
// Returns "" or a one-line problem naming the option.
std::string read_remote_write_config(std::string_view argument, const Environment& env,
                                     RemoteWriteConfig* config);

}  // namespace lueng::output
