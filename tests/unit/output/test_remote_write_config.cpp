#include "engine/output/remote_write_config.hpp"

#include <catch2/catch.hpp>

using lueng::output::Environment;
using lueng::output::parse_trend_stats;
using lueng::output::read_remote_write_config;
using lueng::output::RemoteWriteConfig;
using lueng::output::TrendStat;

namespace {

std::vector<std::string> suffixes(const std::vector<TrendStat>& stats) {
  std::vector<std::string> out;
  for (const auto& stat : stats) out.push_back(stat.suffix);
  return out;
}

}  // namespace

TEST_CASE("prometheus-rw: defaults are k6's, with the summary's trend stats and p(99)") {
  RemoteWriteConfig config;
  REQUIRE(read_remote_write_config("", {}, &config) == "");
  CHECK(config.url == "http://127.0.0.1:9090/api/v1/write");
  CHECK(config.push_interval_seconds == 5);
  CHECK(suffixes(config.trend_stats) ==
        std::vector<std::string>{"avg", "min", "med", "max", "p90", "p95", "p99"});
  CHECK(config.headers.empty());
  CHECK_FALSE(config.stale_markers);
}

TEST_CASE("prometheus-rw: trend stats are named as k6 names their series") {
  std::vector<TrendStat> stats;
  REQUIRE(parse_trend_stats("p(99.9), p(50),count,sum", &stats) == "");
  CHECK(suffixes(stats) == std::vector<std::string>{"p999", "p50", "count", "sum"});
  CHECK(stats[0].kind == TrendStat::Kind::kPercentile);
  CHECK(stats[0].percentile == Approx(99.9));
  CHECK(parse_trend_stats("p(101)", &stats).find("0 to 100") != std::string::npos);
  CHECK(parse_trend_stats("mean", &stats).find("unknown trend stat 'mean'") != std::string::npos);
  CHECK(parse_trend_stats("avg,avg", &stats).find("twice") != std::string::npos);
}

TEST_CASE("prometheus-rw: the environment sets every option, the argument wins over it") {
  Environment env = {
      {"K6_PROMETHEUS_RW_SERVER_URL", "https://mimir.example/api/v1/push"},
      {"K6_PROMETHEUS_RW_PUSH_INTERVAL", "2s"},
      {"K6_PROMETHEUS_RW_TREND_STATS", "p(95),max"},
      {"K6_PROMETHEUS_RW_USERNAME", "alice"},
      {"K6_PROMETHEUS_RW_PASSWORD", "secret"},
      {"K6_PROMETHEUS_RW_HEADERS_X-Scope-OrgID", "team-a"},
      {"K6_PROMETHEUS_RW_HTTP_HEADERS", "X-One:1,X-Two:2"},
      {"K6_PROMETHEUS_RW_STALE_MARKERS", "true"},
      {"K6_PROMETHEUS_RW_TLS_MINIMUM_VERSION", "1.3"},
      {"LUENG_PROMETHEUS_RW_CA_CERTIFICATE", "/etc/ca.pem"},
      {"LUENG_PROMETHEUS_RW_LABELS", "testid=nightly, team=qa"},
      {"UNRELATED", "x"},
  };
  RemoteWriteConfig config;
  REQUIRE(read_remote_write_config("", env, &config) == "");
  CHECK(config.url == "https://mimir.example/api/v1/push");
  CHECK(config.push_interval_seconds == 2);
  CHECK(suffixes(config.trend_stats) == std::vector<std::string>{"p95", "max"});
  CHECK(config.username == "alice");
  CHECK(config.password == "secret");
  CHECK(config.stale_markers);
  CHECK(config.tls.min_version != 0);
  CHECK(config.tls.ca_file == "/etc/ca.pem");
  using Pairs = std::vector<std::pair<std::string, std::string>>;
  CHECK(config.headers == Pairs{{"X-Scope-OrgID", "team-a"}, {"X-One", "1"}, {"X-Two", "2"}});
  CHECK(config.labels == Pairs{{"testid", "nightly"}, {"team", "qa"}});

  RemoteWriteConfig overridden;
  REQUIRE(read_remote_write_config(
              "http://127.0.0.1:9/api/v1/write,pushInterval=250ms,labels.run=7,headers.X-A=b", env,
              &overridden) == "");
  CHECK(overridden.url == "http://127.0.0.1:9/api/v1/write");
  CHECK(overridden.push_interval_seconds == Approx(0.25));
  CHECK(overridden.labels.back() == std::pair<std::string, std::string>{"run", "7"});
  CHECK(overridden.headers.back() == std::pair<std::string, std::string>{"X-A", "b"});
}

TEST_CASE("prometheus-rw: a wrong option is named") {
  RemoteWriteConfig config;
  CHECK(read_remote_write_config("ftp://host/x", {}, &config).find("neither a URL") !=
        std::string::npos);
  CHECK(read_remote_write_config("pushInterval=5", {}, &config).find("pushInterval") !=
        std::string::npos);
  CHECK(read_remote_write_config("colour=blue", {}, &config) ==
        "colour is not an option of prometheus-rw");
  CHECK(read_remote_write_config("", {{"K6_PROMETHEUS_RW_PUSH_INTERVAL", "soon"}}, &config)
            .find("K6_PROMETHEUS_RW_PUSH_INTERVAL") != std::string::npos);
  CHECK(read_remote_write_config("clientCertificate=/c.pem", {}, &config).find("both") !=
        std::string::npos);
  CHECK(read_remote_write_config("trendAsNativeHistogram=maybe", {}, &config)
            .find("trendAsNativeHistogram") != std::string::npos);
  CHECK(read_remote_write_config("url=http://", {}, &config).find("not an http(s) URL") !=
        std::string::npos);
}

TEST_CASE("prometheus-rw: trends as native histograms, from the argument or k6's variable") {
  lueng::output::RemoteWriteConfig config;
  REQUIRE(read_remote_write_config("", {}, &config) == "");
  CHECK_FALSE(config.trend_as_native_histogram);
  REQUIRE(read_remote_write_config("trendAsNativeHistogram=true", {}, &config) == "");
  CHECK(config.trend_as_native_histogram);
  lueng::output::RemoteWriteConfig from_env;
  REQUIRE(read_remote_write_config("", {{"K6_PROMETHEUS_RW_TREND_AS_NATIVE_HISTOGRAM", "true"}},
                                   &from_env) == "");
  CHECK(from_env.trend_as_native_histogram);
  // The argument wins over the environment.
  REQUIRE(read_remote_write_config("trendAsNativeHistogram=false",
                                   {{"K6_PROMETHEUS_RW_TREND_AS_NATIVE_HISTOGRAM", "true"}},
                                   &from_env) == "");
  CHECK_FALSE(from_env.trend_as_native_histogram);
}
