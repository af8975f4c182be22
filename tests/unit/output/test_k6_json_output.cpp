// k6's internal/output/json/json_test.go, ported case by case (docs/from-k6.md,
// "Test tables ported from k6"): the same samples through lueng's JSON output,
// each line compared with k6's expected line as JSON (assert.JSONEq).
#include <unistd.h>
#include <zlib.h>

#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <rapidjson/document.h>
#include <catch2/catch.hpp>

#include "engine/metrics/tags.hpp"
#include "engine/output/json_output.hpp"
#include "engine/thresholds/selector.hpp"
#include "output_file.hpp"

using namespace lueng;

namespace {

constexpr int64_t kTime1 = 1614173830LL * 1000000000;  // 2021-02-24T13:37:10Z
constexpr int64_t kTime2 = kTime1 + 10LL * 1000000000;
constexpr int64_t kTime3 = kTime2 + 10LL * 1000000000;

// k6's expected lines (generateTestMetricSamples).
const std::vector<std::string> kExpected = {
    R"({"type":"Metric","data":{"name":"my_metric1","type":"gauge","contains":"default","thresholds":["rate<0.01","p(99)<250"],"submetrics":[{"name":"my_metric1{a:1,b:2}","suffix":"a:1,b:2","tags":{"a":"1","b":"2"}}]},"metric":"my_metric1"})",
    R"({"type":"Point","data":{"time":"2021-02-24T13:37:10Z","value":1,"tags":{"tag1":"val1"},"metadata":{"meta1":"foo","meta2":"bar"}},"metric":"my_metric1"})",
    R"({"type":"Point","data":{"time":"2021-02-24T13:37:10Z","value":2,"tags":{"tag2":"val2"}},"metric":"my_metric1"})",
    R"({"type":"Metric","data":{"name":"my_metric2","type":"counter","contains":"data","thresholds":[],"submetrics":null},"metric":"my_metric2"})",
    R"({"type":"Point","data":{"time":"2021-02-24T13:37:20Z","value":3,"tags":{"key":"val"}},"metric":"my_metric2"})",
    R"({"type":"Point","data":{"time":"2021-02-24T13:37:20Z","value":4,"tags":{"key":"val"}},"metric":"my_metric1"})",
    R"({"type":"Point","data":{"time":"2021-02-24T13:37:30Z","value":5,"tags":{"tag3":"val3","tag4":"val4"},"metadata":{"meta3":"metaval3"}},"metric":"my_metric2"})",
};

bool json_equal(const std::string& a, const std::string& b) {
  rapidjson::Document da, db;
  da.Parse(a.c_str());
  db.Parse(b.c_str());
  return !da.HasParseError() && !db.HasParseError() && da == db;
}

thresholds::SloDefinition threshold(const std::string& key, const std::string& expression) {
  thresholds::SloDefinition slo;
  std::string error;
  slo.selector = *thresholds::parse_selector(key, &error);
  slo.threshold.text = expression;
  return slo;
}

// Writes k6's samples through lueng's JSON output into `path`.
void write_samples(const std::string& path) {
  std::string error;
  auto out = output::open_json_output(path, &error);
  REQUIRE(out);
  // setThresholds: {"my_metric1": ["rate<0.01", "p(99)<250"]}, and the sub-metric
  // k6's test adds with AddSubmetric("a:1,b:2"), which in lueng comes from a key.
  out->set_thresholds({threshold("my_metric1", "rate<0.01"), threshold("my_metric1", "p(99)<250"),
                       threshold("my_metric1{a:1,b:2}", "value>0")});
  metrics::MetricDef metric1{"my_metric1", metrics::MetricType::kGauge, false};
  metrics::MetricDef metric2{"my_metric2", metrics::MetricType::kCounter, false};
  using Pairs = std::vector<std::pair<std::string, std::string>>;
  struct Row {
    const metrics::MetricDef& def;
    metrics::MetricId id;
    int64_t time;
    double value;
    Pairs tags;
    Pairs metadata;  // lueng.vu.metrics.metadata's
  };
  std::vector<Row> rows = {
      {metric1, 100, kTime1, 1, {{"tag1", "val1"}}, {{"meta1", "foo"}, {"meta2", "bar"}}},
      {metric1, 100, kTime1, 2, {{"tag2", "val2"}}, {}},
      {metric2, 101, kTime2, 3, {{"key", "val"}}, {}},
      {metric1, 100, kTime2, 4, {{"key", "val"}}, {}},
      {metric2, 101, kTime3, 5, {{"tag3", "val3"}, {"tag4", "val4"}}, {{"meta3", "metaval3"}}},
  };
  for (const Row& row : rows) {
    std::string tags = metrics::encode_tags(row.tags);
    std::string metadata = metrics::encode_tags(row.metadata);
    output::CachedTags::Rendered rendered;
    out->add_sample({row.id, row.def, row.time, row.value, tags, rendered, metadata});
  }
  REQUIRE(out->finish({}) == "");
}

std::vector<std::string> read_lines(const std::string& path) {
  std::vector<std::string> lines;
  std::istringstream in(read_output_file(path));
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

std::string temp_path(const char* suffix) {
  char dir[] = "/tmp/lueng-k6json-XXXXXX";
  REQUIRE(mkdtemp(dir));
  return std::string(dir) + "/json-output" + suffix;
}

}  // namespace

// Line 4's metric is a custom counter k6's test registers as metrics.Data
// (contains "data"); a lueng custom metric is time or default, "data" is
// data_sent's and data_received's: a documented difference.
TEST_CASE("k6 TestJsonOutputFile: k6's seven lines", "[k6][output]") {
  std::string path = temp_path("");
  write_samples(path);
  std::vector<std::string> lines = read_lines(path);
  REQUIRE(lines.size() == kExpected.size());
  for (size_t i = 0; i < lines.size(); ++i) {
    INFO("line " << i + 1 << ": " << lines[i]);
    std::string expected = kExpected[i];
    if (i == 3) {
      // Documented difference: `contains` of a custom counter is "default".
      size_t at = expected.find(R"("contains":"data")");
      expected.replace(at, 17, R"("contains":"default")");
    }
    CHECK(json_equal(lines[i], expected));
  }
  // k6's exact text, field order included (encoding/json of its envelopes).
  CHECK(
      lines[1] ==
      R"({"metric":"my_metric1","type":"Point","data":{"time":"2021-02-24T13:37:10Z","value":1,"tags":{"tag1":"val1"},"metadata":{"meta1":"foo","meta2":"bar"}}})");
  CHECK(lines[0].starts_with(R"({"type":"Metric","data":{"name":"my_metric1",)"));
}

TEST_CASE("k6 TestJsonOutputFileGzipped: the same lines through gzip", "[k6][output]") {
  std::string path = temp_path(".gz");
  write_samples(path);
  std::ifstream raw(path, std::ios::binary);
  char magic[2] = {};
  raw.read(magic, 2);
  CHECK((static_cast<unsigned char>(magic[0]) == 0x1f &&
         static_cast<unsigned char>(magic[1]) == 0x8b));
  CHECK(read_lines(path).size() == kExpected.size());
}

TEST_CASE("k6 TestJsonOutputFileError: a file that cannot be created is an error", "[k6][output]") {
  std::string error;
  CHECK_FALSE(output::open_json_output("/proc/lueng-no-such-dir/json-output", &error));
  CHECK(error.find("/proc/lueng-no-such-dir/json-output") != std::string::npos);
}
