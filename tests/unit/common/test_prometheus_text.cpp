#include <catch2/catch.hpp>

#include "engine/common/prometheus_text.hpp"

using lueng::format_prometheus_sample;
using lueng::parse_prometheus_text;
using lueng::PromSample;

TEST_CASE("a Prometheus page reads as its samples, comments and blank lines skipped") {
  auto parse = parse_prometheus_text(
      "# HELP process_resident_memory_bytes Resident memory size in bytes.\n"
      "# TYPE process_resident_memory_bytes gauge\n"
      "process_resident_memory_bytes 1.2345e+07\n"
      "\n"
      "http_requests_total{method=\"post\",code=\"200\"} 1027 1395066363000\n"
      "  pool_connections{pool=\"db\", state = \"idle\",} 4\r\n"
      "escaped{path=\"C:\\\\DIR\",msg=\"say \\\"hi\\\"\\n\"} -1.5\n");
  REQUIRE(parse.bad_lines == 0);
  REQUIRE(parse.samples.size() == 4);
  CHECK(parse.samples[0] == PromSample{"process_resident_memory_bytes", {}, 12345000});
  CHECK(parse.samples[1].labels ==
        std::vector<std::pair<std::string, std::string>>{{"method", "post"}, {"code", "200"}});
  CHECK(parse.samples[1].value == 1027);
  CHECK(parse.samples[2].labels ==
        std::vector<std::pair<std::string, std::string>>{{"pool", "db"}, {"state", "idle"}});
  CHECK(parse.samples[3].labels[0].second == "C:\\DIR");
  CHECK(parse.samples[3].labels[1].second == "say \"hi\"\n");
  CHECK(parse.samples[3].value == -1.5);
}

TEST_CASE("a page's unreadable lines are counted, the rest still read") {
  auto parse = parse_prometheus_text(
      "<html><body>502 Bad Gateway</body></html>\n"
      "good 1\n"
      "no_value{a=\"1\"}\n"
      "unquoted{a=1} 2\n"
      "unterminated{a=\"1} 2\n"
      "trailing 1 2 3\n"
      "also_good +3\n");
  CHECK(parse.bad_lines == 5);
  CHECK(parse.first_error == "line 1: expected a metric name");
  REQUIRE(parse.samples.size() == 2);
  CHECK(parse.samples[0].name == "good");
  CHECK(parse.samples[1].value == 3);
}

TEST_CASE("only wanted series with finite values are kept") {
  auto parse = parse_prometheus_text(
      "process_cpu_seconds_total 0.5\nother 1\nprocess_open_fds NaN\nprocess_max_fds +Inf\n",
      [](std::string_view name) { return name.starts_with("process_"); });
  CHECK(parse.bad_lines == 0);
  REQUIRE(parse.samples.size() == 1);
  CHECK(parse.samples[0].name == "process_cpu_seconds_total");
}

TEST_CASE("labels and samples beyond the bounds are bad lines, not memory") {
  std::string labels = "many{";
  for (size_t i = 0; i <= lueng::kPromMaxLabels; ++i) labels += "l" + std::to_string(i) + "=\"v\",";
  labels += "} 1\nlong{v=\"" + std::string(lueng::kPromMaxLabelValue + 1, 'x') + "\"} 1\n";
  auto parse = parse_prometheus_text(labels);
  CHECK(parse.bad_lines == 2);
  CHECK(parse.samples.empty());
}

TEST_CASE("a sample written back in the format reads as itself") {
  PromSample sample{"a:b_c", {{"path", "C:\\x \"q\"\nz"}, {"le", "+Inf"}}, 1e-300};
  auto parse = parse_prometheus_text(format_prometheus_sample(sample));
  REQUIRE(parse.samples.size() == 1);
  CHECK(parse.samples[0] == sample);
}
