// The result file's "monitor" object (docs/results.md): written and read back as
// the same model; absent without a monitor; a malformed one is refused by name.
#include <catch2/catch.hpp>

#include "engine/metrics/tags.hpp"
#include "engine/result/result_file.hpp"
#include "engine/result/result_reader.hpp"

using namespace lueng;

TEST_CASE("the monitor section reads back as it was written") {
  result::RunResult run;
  run.script = "soak.lua";
  run.monitor.interval_seconds = 5;
  run.monitor.warmup_seconds = 60;
  run.monitor.sources.push_back(
      {"http://127.0.0.1:8000/metrics", "127.0.0.1:8000", 12, 2, "status 503"});
  result::MonitorSeries series;
  series.metric = "target_process_resident_memory_bytes";
  series.scraped = "process_resident_memory_bytes";
  series.tags = metrics::encode_tags({{"source", "127.0.0.1:8000"}, {"pool", "db"}});
  series.points = {{0.01, 9150464}, {5, 9211904}, {10.5, 9498624}};
  series.has_baseline = true;
  series.baseline = 9211904;
  series.growth_percent = 3.1;
  run.monitor.series.push_back(series);
  run.monitor.series.push_back(
      {"target_x", "x", metrics::encode_tags({{"source", "a:1"}}), {{0, 1}}, false, 0, 0});

  std::string json = result::result_to_json(run);
  result::RunResult back = result::result_from_json(json, "r.json");
  REQUIRE(back.monitor.sources.size() == 1);
  CHECK(back.monitor.sources[0].first_error == "status 503");
  CHECK(back.monitor.sources[0].errors == 2);
  CHECK(back.monitor.interval_seconds == 5);
  REQUIRE(back.monitor.series.size() == 2);
  CHECK(back.monitor.series[0].tags == series.tags);
  CHECK(back.monitor.series[0].points == series.points);
  CHECK(back.monitor.series[0].growth_percent == 3.1);
  CHECK_FALSE(back.monitor.series[1].has_baseline);
  CHECK(result::result_to_json(back) == json);
}

TEST_CASE("no monitor, no monitor section, and a malformed one is refused") {
  result::RunResult run;
  std::string json = result::result_to_json(run);
  CHECK(json.find("\"monitor\"") == std::string::npos);
  CHECK(result::result_from_json(json, "r.json").monitor.empty());
  std::string bad =
      json.substr(0, json.rfind('}')) + ",\"monitor\": {\"series\": [{\"points\": [[1]]}]}}";
  CHECK_THROWS_WITH(result::result_from_json(bad, "r.json"),
                    Catch::Contains("monitor.series.points"));
}
