#include <catch2/catch.hpp>

#include "engine/common/json_parse.hpp"
#include "engine/exec/monitor_options.hpp"
#include "engine/exec/option_values.hpp"

using lueng::exec::ConfigError;
using lueng::exec::MonitorOptions;
using lueng::exec::read_monitor_options;

namespace {

MonitorOptions read(const char* json, std::vector<std::string> flags = {}) {
  rapidjson::Document d;
  REQUIRE(lueng::parse_json_bounded(json, d, nullptr));
  return read_monitor_options(d, flags);
}

}  // namespace

TEST_CASE("options.monitor reads its targets, timing, prefix and series") {
  MonitorOptions m = read(
      R"({"monitor": {"targets": ["http://127.0.0.1:9100/metrics"], "interval": "2s",
          "timeout": "500ms", "warmup": "1m", "prefix": "sut_",
          "series": ["process_resident_memory_bytes", "ns:pool_size"]}})");
  REQUIRE(m.targets.size() == 1);
  CHECK(m.targets[0].source == "127.0.0.1:9100");
  CHECK(m.targets[0].parsed.target == "/metrics");
  CHECK(m.interval_seconds == 2);
  CHECK(m.timeout_seconds == 0.5);
  CHECK(m.warmup_seconds == 60);
  CHECK(lueng::exec::monitor_metric_name(m, m.series[1]) == "sut_ns_pool_size");
}

TEST_CASE("the --monitor flag adds endpoints, and without any the monitor is off") {
  CHECK_FALSE(read("{}").enabled());
  MonitorOptions m = read("{}", {"http://localhost:8000/metrics"});
  REQUIRE(m.enabled());
  CHECK(m.targets[0].source == "localhost:8000");
  CHECK(m.series.front() == "process_resident_memory_bytes");  // the default series
  CHECK(read(R"({"monitor": {"targets": "http://[::1]:1/m"}})", {"http://127.0.0.1:2/m"})
            .targets.size() == 2);
}

TEST_CASE("a bad options.monitor names what is wrong") {
  auto message = [](const char* json, std::vector<std::string> flags = {}) {
    try {
      read(json, flags);
    } catch (const ConfigError& error) {
      return std::string(error.what());
    }
    return std::string("no error");
  };
  CHECK_THAT(message(R"({"monitor": {"targets": ["https://127.0.0.1/metrics"]}})"),
             Catch::Contains("only http://"));
  CHECK_THAT(message(R"({"monitor": {"targets": ["not a url"]}})"),
             Catch::Contains("options.monitor.targets: 'not a url' is not a URL"));
  CHECK_THAT(message("{}", {"ftp://x/"}), Catch::StartsWith("--monitor:"));
  CHECK_THAT(message(R"({"monitor": {"interval": "10ms"}})"), Catch::Contains("at least 100ms"));
  CHECK_THAT(message(R"({"monitor": {"every": "1s"}})"),
             Catch::Contains("options.monitor.every: unknown option"));
  CHECK_THAT(message(R"({"monitor": {"series": ["bad-name"], "targets": ["http://a/"]}})"),
             Catch::Contains("not a valid metric name"));
  CHECK_THAT(message(R"({"monitor": true})"), Catch::Contains("must be a table"));
}
