#include <catch2/catch.hpp>

#include <rapidjson/document.h>

#include "engine/dashboard/snapshot.hpp"

using namespace lueng;

TEST_CASE("a snapshot carries the last five minutes of the series, the SLOs and the verdict") {
  result::RunResult run;
  run.duration_seconds = 400;
  for (int64_t second = 0; second < 400; ++second) {
    result::TimePoint point;
    point.second = second;
    point.requests = static_cast<uint64_t>(second);
    point.vus = 3;
    point.duration_p95 = 12.5;
    run.time_series.push_back(point);
  }
  thresholds::SloResult slo;
  slo.slo.selector.text = "http_req_duration{name:</script>}";
  slo.slo.threshold.text = "p(95)<300";
  slo.status = thresholds::SloStatus::kFail;
  slo.value = 312.5;
  run.slo.results.push_back(slo);
  run.slo.verdict = "FAILED";

  rapidjson::Document json;
  json.Parse(dashboard::snapshot_json(run, true).c_str());
  REQUIRE(json.IsObject());
  CHECK(json["final"].GetBool());
  CHECK(json["elapsed"].GetDouble() == 400);
  const auto& series = json["series"];
  REQUIRE(series.Size() == dashboard::kSeriesSeconds);
  CHECK(series[0][0].GetInt64() == 100);
  CHECK(series[0][1].GetUint64() == 100);
  CHECK(series[0][3].GetDouble() == 3);
  CHECK(series[0][5].GetDouble() == 12.5);
  CHECK(json["totals"]["vus"].GetDouble() == 3);
  CHECK(json["totals"]["requests"].GetUint64() == 0);  // no metrics: nothing counted
  REQUIRE(json["slos"].Size() == 1);
  CHECK(std::string(json["slos"][0]["metric"].GetString()) == "http_req_duration{name:</script>}");
  CHECK(std::string(json["slos"][0]["status"].GetString()) == "FAIL");
  CHECK(json["slos"][0]["value"].GetDouble() == 312.5);
  CHECK(std::string(json["verdict"].GetString()) == "FAILED");
  CHECK(json["findings"].Size() == 0);
  CHECK(json["endpoints"].Size() == 0);
}
