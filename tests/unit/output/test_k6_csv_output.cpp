// k6's internal/output/csv tests (output_test.go and config_test.go), ported case
// by case (docs/from-k6.md, "Test tables ported from k6"): the header, the row
// of a sample, whole files (plain and gzip, each time format), and the csv
// options from the argument and the environment.
#include <unistd.h>
#include <zlib.h>

#include <algorithm>
#include <sstream>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "engine/metrics/tags.hpp"
#include "engine/output/csv_output.hpp"
#include "output_file.hpp"

using namespace lueng;
using output::CsvConfig;
using output::CsvTimeFormat;

namespace {

using Tags = std::vector<std::pair<std::string, std::string>>;

// A row as k6's SampleToRow gives it: metric, time, value, then the tag columns.
std::vector<std::string> row_of(const Tags& tags, int64_t unix_ns,
                                const std::vector<std::string>& columns,
                                const std::vector<std::string>& ignored, CsvTimeFormat format) {
  std::string line = "my_metric,";
  output::append_csv_time(line, unix_ns, format);
  line += ",1.000000" + output::csv_tag_columns(metrics::encode_tags(tags), columns, ignored);
  line.pop_back();  // the newline
  std::vector<std::string> cells;
  std::stringstream in(line);
  for (std::string cell; std::getline(in, cell, ',');) cells.push_back(cell);
  if (line.back() == ',') cells.emplace_back();  // the empty metadata column
  return cells;
}

std::string temp_dir() {
  char dir[] = "/tmp/lueng-k6csv-XXXXXX";
  REQUIRE(mkdtemp(dir));
  return dir;
}

// k6's TestRun sorts each row's extra_tags and metadata before comparing.
std::string sorted_extra(const std::string& text) {
  std::stringstream in(text);
  std::string out;
  for (std::string line; std::getline(in, line);) {
    size_t metadata = line.rfind(','), extra = line.rfind(',', metadata - 1);
    std::vector<std::string> tags;
    std::stringstream items(line.substr(extra + 1, metadata - extra - 1));
    for (std::string item; std::getline(items, item, '&');) tags.push_back(item);
    std::sort(tags.begin(), tags.end());
    std::string joined;
    for (const auto& tag : tags) joined += (joined.empty() ? "" : "&") + tag;
    out += line.substr(0, extra + 1) + joined + line.substr(metadata) + "\n";
  }
  return out;
}

constexpr int64_t kSecond = 1562324644;
constexpr int64_t ns(int64_t seconds, int64_t nanos = 0) {
  return seconds * 1'000'000'000 + nanos;
}

}  // namespace

TEST_CASE("k6 TestMakeHeader: one and two tags", "[k6][output]") {
  for (const std::vector<std::string>& tags :
       {std::vector<std::string>{"tag1"}, std::vector<std::string>{"tag1", "tag2"}}) {
    std::string header = output::csv_header(tags);
    REQUIRE(header.back() == '\n');
    std::vector<std::string> cells;
    std::stringstream in(header.substr(0, header.size() - 1));
    for (std::string cell; std::getline(in, cell, ',');) cells.push_back(cell);
    CHECK(cells.size() == tags.size() + 5);
    CHECK(cells[0] == "metric_name");
    CHECK(cells[1] == "timestamp");
    CHECK(cells[2] == "metric_value");
    CHECK(cells[cells.size() - 2] == "extra_tags");
    CHECK(cells.back() == "metadata");
  }
}

TEST_CASE("k6 TestSampleToRow: seven samples", "[k6][output]") {
  Tags three = {{"tag1", "val1"}, {"tag2", "val2"}, {"tag3", "val3"}};
  Tags five = {
      {"tag1", "val1"}, {"tag2", "val2"}, {"tag3", "val3"}, {"tag4", "val4"}, {"tag5", "val5"}};
  Tags six = five;
  six.emplace_back("tag6", "val6");
  struct Case {
    const char* name;
    Tags tags;
    int64_t time;
    std::vector<std::string> columns, ignored;
    CsvTimeFormat format;
    std::vector<std::string> base;
    std::string extra;
  };
  // The time is UTC: Go's time.Format in k6's test uses the machine's zone,
  // which is UTC where k6's CI runs.
  std::vector<Case> cases = {
      {"One res tag, one ignored tag, one extra tag",
       three,
       ns(kSecond),
       {"tag1"},
       {"tag2"},
       CsvTimeFormat::kUnix,
       {"my_metric", "1562324644", "1.000000", "val1"},
       "tag3=val3"},
      {"Two res tags, three extra tags",
       five,
       ns(kSecond),
       {"tag1", "tag2"},
       {},
       CsvTimeFormat::kUnix,
       {"my_metric", "1562324644", "1.000000", "val1", "val2"},
       "tag3=val3&tag4=val4&tag5=val5"},
      {"with RFC3339 timestamp",
       six,
       ns(kSecond),
       {"tag1", "tag3"},
       {"tag4", "tag6"},
       CsvTimeFormat::kRfc3339,
       {"my_metric", "2019-07-05T11:04:04Z", "1.000000", "val1", "val3"},
       "tag2=val2&tag5=val5"},
      {"with Unix Nano timestamp",
       six,
       ns(kSecond, 25),
       {"tag1", "tag3"},
       {"tag4", "tag6"},
       CsvTimeFormat::kUnixNano,
       {"my_metric", "1562324644000000025", "1.000000", "val1", "val3"},
       "tag2=val2&tag5=val5"},
      {"with Unix Micro timestamp",
       six,
       ns(kSecond, 2125),
       {"tag1", "tag3"},
       {"tag4", "tag6"},
       CsvTimeFormat::kUnixMicro,
       {"my_metric", "1562324644000002", "1.000000", "val1", "val3"},
       "tag2=val2&tag5=val5"},
      {"with Unix Milli timestamp",
       six,
       ns(kSecond, 6482125),
       {"tag1", "tag3"},
       {"tag4", "tag6"},
       CsvTimeFormat::kUnixMilli,
       {"my_metric", "1562324644006", "1.000000", "val1", "val3"},
       "tag2=val2&tag5=val5"},
      {"with RFC3339Nano timestamp",
       six,
       ns(kSecond),
       {"tag1", "tag3"},
       {"tag4", "tag6"},
       CsvTimeFormat::kRfc3339Nano,
       {"my_metric", "2019-07-05T11:04:04Z", "1.000000", "val1", "val3"},
       "tag2=val2&tag5=val5"},
  };
  for (const Case& c : cases) {
    INFO(c.name);
    std::vector<std::string> row = row_of(c.tags, c.time, c.columns, c.ignored, c.format);
    REQUIRE(row.size() == 3 + c.columns.size() + 2);
    for (size_t i = 0; i < c.base.size(); ++i) CHECK(row[i] == c.base[i]);
    CHECK(row[row.size() - 2] == c.extra);  // lueng's tags are sorted: k6's Contains holds too
    CHECK(row.back().empty());
  }
  // RFC3339Nano with a fraction: Go's layout cuts trailing zeros.
  std::string text;
  output::append_csv_time(text, ns(kSecond, 6482100), CsvTimeFormat::kRfc3339Nano);
  CHECK(text == "2019-07-05T11:04:04.0064821Z");
}

// k6's TestRun: SystemTags error, check and vu give the columns check and error
// (vu, not indexable, is neither a column nor ignored).
TEST_CASE("k6 TestRun: whole files, plain and gzip, three time formats", "[k6][output]") {
  struct Sample {
    Tags tags;
    int64_t time;
    Tags metadata;
  };
  struct Case {
    const char* file;
    const char* time_format;  // K6_CSV_TIME_FORMAT, "" for none
    std::vector<Sample> samples;
    std::string expected;
  };
  Tags base = {{"check", "val1"}, {"url", "val2"}, {"error", "val3"}};
  Tags more = base;
  more.insert(more.end(), {{"tag4", "val4"}, {"vu", "1"}});
  Tags named = base;
  named.emplace_back("name", "val4");
  const std::string header = "metric_name,timestamp,metric_value,check,error,extra_tags,metadata\n";
  std::vector<Case> cases = {
      {"test",
       "",
       {{base, ns(1562324643), {}}, {more, ns(1562324644), {}}},
       header + "my_metric,1562324643,1.000000,val1,val3,url=val2,\n" +
           "my_metric,1562324644,1.000000,val1,val3,tag4=val4&url=val2&vu=1,\n"},
      {"test.gz",
       "unix",
       {{base, ns(1562324643), {{"y", "1"}}}, {named, ns(1562324644), {}}},
       header + "my_metric,1562324643,1.000000,val1,val3,url=val2,y=1\n" +
           "my_metric,1562324644,1.000000,val1,val3,name=val4&url=val2,\n"},
      {"test",
       "rfc3339",
       {{base, ns(1562324644), {}}, {named, ns(1562324644), {{"y", "2"}, {"z", "3"}}}},
       header + "my_metric,2019-07-05T11:04:04Z,1.000000,val1,val3,url=val2,\n" +
           "my_metric,2019-07-05T11:04:04Z,1.000000,val1,val3,name=val4&url=val2,y=2&z=3\n"},
  };
  metrics::MetricDef metric{"my_metric", metrics::MetricType::kGauge, false};
  for (const Case& c : cases) {
    INFO(c.file << " " << c.time_format);
    std::string path = temp_dir() + "/" + c.file;
    output::Environment env;
    if (*c.time_format) env.emplace_back("K6_CSV_TIME_FORMAT", c.time_format);
    std::string error;
    auto out = output::open_csv_output(path, env, {"check", "error"}, {}, &error);
    REQUIRE(out);
    for (const Sample& sample : c.samples) {
      std::string encoded = metrics::encode_tags(sample.tags);
      std::string metadata = metrics::encode_tags(sample.metadata);
      output::CachedTags::Rendered rendered;
      out->add_sample({0, metric, sample.time, 1, encoded, rendered, metadata});
    }
    REQUIRE(out->finish({}) == "");
    std::string text = read_output_file(path);
    CHECK(sorted_extra(text) == c.expected);
    if (std::string(c.file).ends_with(".gz")) {
      gzFile probe = gzopen(path.c_str(), "rb");
      CHECK_FALSE(gzdirect(probe));  // really compressed
      gzclose(probe);
    }
  }
}

TEST_CASE("k6 csv TestNewConfig, TestApply and TestParseArg", "[k6][output]") {
  CsvConfig defaults;  // TestNewConfig
  CHECK(defaults.file_name == "file.csv");
  CHECK(defaults.save_interval_seconds == 1);
  CHECK(defaults.time_format == CsvTimeFormat::kUnix);

  // TestApply: what is set wins over the defaults (here from the environment).
  CsvConfig applied;
  REQUIRE(
      output::read_csv_config(
          "",
          {{"K6_CSV_FILENAME", ""}, {"K6_CSV_SAVE_INTERVAL", "2s"}, {"K6_CSV_TIME_FORMAT", "unix"}},
          &applied) == "");
  CHECK(applied.file_name.empty());
  CHECK(applied.save_interval_seconds == 2);
  CHECK(applied.time_format == CsvTimeFormat::kUnix);
  CsvConfig second;
  REQUIRE(output::read_csv_config(
              "", {{"K6_CSV_FILENAME", "newPath"}, {"K6_CSV_TIME_FORMAT", "rfc3339"}}, &second) ==
          "");
  CHECK(second.file_name == "newPath");
  CHECK(second.save_interval_seconds == 1);
  CHECK(second.time_format == CsvTimeFormat::kRfc3339);

  // TestParseArg
  CsvConfig c1;
  REQUIRE(output::read_csv_config("test_file.csv", {}, &c1) == "");
  CHECK(c1.file_name == "test_file.csv");
  CHECK(c1.save_interval_seconds == 1);
  CsvConfig c2;
  REQUIRE(output::read_csv_config("saveInterval=5s", {}, &c2) == "");
  CHECK(c2.file_name == "file.csv");
  CHECK(c2.save_interval_seconds == 5);
  CsvConfig c3;
  CHECK(output::read_csv_config("filename=test.csv,saveInterval=5s", {}, &c3)
            .find("'filename' is not an option of csv") != std::string::npos);
  CsvConfig c4;
  REQUIRE(output::read_csv_config("fileName=test.csv,timeFormat=rfc3339", {}, &c4) == "");
  CHECK(c4.file_name == "test.csv");
  CHECK(c4.time_format == CsvTimeFormat::kRfc3339);
}

TEST_CASE("csv options: the argument wins over the environment, bad values are named", "[output]") {
  CsvConfig config;
  REQUIRE(output::read_csv_config("timeFormat=unix_nano",
                                  {{"K6_CSV_TIME_FORMAT", "rfc3339"}, {"K6_CSV_FILENAME", "e.csv"}},
                                  &config) == "");
  CHECK(config.time_format == CsvTimeFormat::kUnixNano);
  CHECK(config.file_name == "e.csv");
  CHECK(output::read_csv_config("timeFormat=iso", {}, &config).find("timeFormat: 'iso'") !=
        std::string::npos);
  CHECK(output::read_csv_config("", {{"K6_CSV_SAVE_INTERVAL", "soon"}}, &config)
            .find("K6_CSV_SAVE_INTERVAL") != std::string::npos);
  CHECK(output::read_csv_config("saveInterval=0s", {}, &config).find("saveInterval") !=
        std::string::npos);
  CHECK(output::read_csv_config("a.csv,timeFormat=unix", {}, &config).find("a.csv") !=
        std::string::npos);
}
