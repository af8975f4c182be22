#include <catch2/catch.hpp>

#include "engine/analysis/findings.hpp"
#include "engine/metrics/tags.hpp"

using namespace lueng;

namespace {

result::MonitorSeries memory(const char* scraped, double baseline, double last) {
  result::MonitorSeries s;
  s.metric = std::string("target_") + scraped;
  s.scraped = scraped;
  s.tags = metrics::encode_tags({{"source", "127.0.0.1:8000"}, {"pool", "db"}});
  s.points = {{0.5, baseline}, {5, (baseline + last) / 2}, {10.04, last}};
  s.has_baseline = true;
  s.baseline = baseline;
  s.growth_percent = (last - baseline) / baseline * 100;
  return s;
}

}  // namespace

TEST_CASE("target memory growing past 30% over the run is flagged, steady memory is not") {
  result::RunResult run;
  run.monitor.sources.push_back({"http://127.0.0.1:8000/metrics", "127.0.0.1:8000", 3, 0, ""});
  run.monitor.series = {memory("process_resident_memory_bytes", 10e6, 25e6),
                        memory("jvm_memory_used_bytes", 10e6, 11e6),
                        memory("process_cpu_seconds_total", 1, 100)};  // not memory
  auto findings = analysis::compute_findings(run);
  REQUIRE(findings.target_growth.size() == 2);
  const auto& leak = findings.target_growth[0];
  CHECK(leak.flagged);
  CHECK(leak.growth_percent == Approx(150));
  CHECK(leak.source == "127.0.0.1:8000");
  CHECK(leak.labels == "pool=db");
  CHECK(analysis::describe(leak) ==
        "target memory (target_process_resident_memory_bytes, 127.0.0.1:8000 pool=db): grew "
        "+150.0% from 500ms to 10s (10 MB to 25 MB): more than 30%, a leak?");
  CHECK_FALSE(findings.target_growth[1].flagged);
  CHECK_THAT(analysis::describe(findings.target_growth[1]), Catch::Contains("stable, +10.0%"));
}

TEST_CASE("no target finding without a baseline or with a single value") {
  result::RunResult run;
  auto s = memory("process_resident_memory_bytes", 10e6, 50e6);
  s.has_baseline = false;  // the warm-up outlasted the run
  run.monitor.series.push_back(s);
  auto one = memory("process_resident_memory_bytes", 10e6, 50e6);
  one.points.resize(1);
  run.monitor.series.push_back(one);
  CHECK(analysis::compute_findings(run).target_growth.empty());
}
