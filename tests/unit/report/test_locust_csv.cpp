// Locust's files from the result model: the rows and numbers, and the same
// bytes whether rendered at the end of a run or from the saved result file.
#include <catch2/catch.hpp>

#include <sstream>

#include "engine/metrics/sink.hpp"
#include "engine/metrics/tags.hpp"
#include "engine/report/locust_csv.hpp"
#include "engine/result/result_file.hpp"
#include "engine/result/result_reader.hpp"

using namespace lueng;

namespace {

std::vector<std::string> lines(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

result::RunResult two_endpoints() {
  metrics::MetricCatalog catalog;
  metrics::Sink sink(catalog);
  auto ok = sink.intern(metrics::encode_tags(
      {{"name", "home"}, {"method", "GET"}, {"status", "200"}, {"expected_response", "true"}}));
  auto bad = sink.intern(metrics::encode_tags({{"name", "book, fast"},
                                               {"method", "POST"},
                                               {"status", "503"},
                                               {"expected_response", "false"}}));
  auto refused = sink.intern(metrics::encode_tags({{"name", "book, fast"},
                                                   {"method", "POST"},
                                                   {"status", "0"},
                                                   {"error_code", "1212"},
                                                   {"expected_response", "false"}}));
  for (int i = 1; i <= 100; ++i) {
    auto tags = i <= 80 ? ok : i <= 95 ? bad : refused;
    sink.add(metrics::builtin::kHttpReqs, tags, 1, i);
    sink.add(metrics::builtin::kHttpReqDuration, tags, i, i);
    sink.add(metrics::builtin::kHttpReqFailed, tags, tags == ok ? 0 : 1, i);
    sink.add(metrics::builtin::kDataReceived, tags, 200, i);
  }
  result::RunResult result;
  result.start_unix_ms = 1700000000500;
  result.duration_seconds = 10;
  result.metrics = metrics::MetricSet(catalog);
  result.metrics.merge(sink);
  for (int s = 0; s < 2; ++s) {
    result::TimePoint point;
    point.second = s;
    point.vus = 4;
    point.requests = 50;
    point.failed = s == 0 ? 0 : 20;
    point.data_received = 50 * 200;
    point.total_min = 1;
    point.total_avg = s == 0 ? 25.5 : 50.5;
    point.total_max = s == 0 ? 50 : 100;
    for (size_t k = 0; k < point.total_percentiles.size(); ++k)
      point.total_percentiles[k] = (s + 1) * result::kLocustPercentiles[k] / 2;
    result.time_series.push_back(point);
  }
  return result;
}

}  // namespace

TEST_CASE("Locust's stats file: a row per endpoint in name order, then Aggregated") {
  auto rows = lines(report::locust_stats_csv(two_endpoints()));
  REQUIRE(rows.size() == 4);
  CHECK(rows[0] ==
        "Type,Name,Request Count,Failure Count,Median Response Time,Average Response Time,"
        "Min Response Time,Max Response Time,Average Content Size,Requests/s,Failures/s,"
        "50%,66%,75%,80%,90%,95%,98%,99%,99.9%,99.99%,100%");
  // A name with a comma is quoted. Counts, average, min, max, size and rates
  // are exact; percentiles come from the histograms (within 1%).
  REQUIRE(rows[1].rfind("POST,\"book, fast\",", 0) == 0);
  auto fields = [](const std::string& row) {
    std::vector<std::string> out;
    // Skip Type and Name (which may be quoted).
    size_t name = row.find(',') + 1;
    size_t name_end = row[name] == '"' ? row.find('"', name + 1) + 1 : row.find(',', name);
    std::istringstream in(row.substr(name_end + 1));
    for (std::string field; std::getline(in, field, ',');) out.push_back(field);
    return out;
  };
  using Fields = std::vector<std::string>;
  auto exact = [&](const std::string& row) {
    Fields f = fields(row);
    REQUIRE(f.size() == 20);
    return Fields{f[0], f[1], f[3], f[4], f[5], f[6], f[7], f[8], f[19]};
  };
  CHECK(exact(rows[1]) == Fields{"20", "20", "90.5", "81", "100", "200", "2", "2", "100"});
  CHECK(exact(rows[2]) == Fields{"80", "0", "40.5", "1", "80", "200", "8", "0", "80"});
  CHECK(rows[3].rfind(",Aggregated,", 0) == 0);
  CHECK(exact(rows[3]) == Fields{"100", "20", "50.5", "1", "100", "200", "10", "2", "100"});
  Fields all = fields(rows[3]);
  CHECK(std::stod(all[2]) == Approx(50.5).epsilon(0.01));   // median
  CHECK(std::stod(all[9]) == Approx(50.5).epsilon(0.01));   // 50%
  CHECK(std::stod(all[13]) == Approx(90.1).epsilon(0.01));  // 90%
}

TEST_CASE("Locust's failures file: one row per method, name and error") {
  auto rows = lines(report::locust_failures_csv(two_endpoints()));
  REQUIRE(rows.size() == 3);
  CHECK(rows[0] == "Method,Name,Error,Occurrences");
  CHECK(rows[1] == "POST,\"book, fast\",HTTP 503,15");
  CHECK(rows[2] == "POST,\"book, fast\",connection_refused (error_code 1212),5");
}

TEST_CASE("Locust's history: one Aggregated row per second with running totals") {
  auto rows = lines(report::locust_history_csv(two_endpoints()));
  REQUIRE(rows.size() == 3);
  CHECK(rows[1] ==
        "1700000001,4,,Aggregated,50,0,25,33,37.5,40,45,47.5,49,49.5,49.95,49.995,50,"
        "50,0,25,25.5,1,50,200");
  CHECK(rows[2] ==
        "1700000002,4,,Aggregated,50,20,50,66,75,80,90,95,98,99,99.9,99.99,100,"
        "100,20,50,50.5,1,100,200");
}

TEST_CASE("Locust's files from a saved result file are the files of the run") {
  result::RunResult original = two_endpoints();
  result::RunResult read =
      result::result_from_json(result::result_to_json(original), "result.json");
  CHECK(report::locust_stats_csv(read) == report::locust_stats_csv(original));
  CHECK(report::locust_history_csv(read) == report::locust_history_csv(original));
  CHECK(report::locust_failures_csv(read) == report::locust_failures_csv(original));
}
