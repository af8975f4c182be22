// k6's lib/executor/executors_test.go configMapTestCases, case by case, in k6's
// order: each raw JSON is the value of options.scenarios. k6 tells a parse error
// from a validation error; lueng refuses both the same way (ConfigError, exit
// 104, naming the option), so both are "refused" here. docs/from-k6.md counts
// the cases and explains the differences.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include <rapidjson/document.h>

#include "engine/common/execution_segment.hpp"
#include "engine/exec/executor.hpp"
#include "engine/exec/options.hpp"
#include "engine/result/run_result.hpp"

using namespace lueng::exec;

namespace {

enum class Expect { kAccepted, kRefused };

struct ConfigMapCase {
  int k6_index;  // the case's position in k6's table, from 1
  const char* scenarios_json;
  Expect expect;
};

// Cases 1, 3, 4 and 7 ("", "asdf", "'adsf'", "{}asdf") are JSON text that does not
// parse; lueng's options are a Lua table, whose equivalent is a Lua syntax error.
// Case 5 ("[]") and case 80 (a browser scenario option) are documented differences,
// tested below the table.
const ConfigMapCase kCases[] = {
    {2, "1234", Expect::kRefused},
    {6, "{}", Expect::kAccepted},
    {8, "null", Expect::kAccepted},
    {9, R"({"someKey": {}})", Expect::kRefused},
    {10, R"({"someKey": {"executor": "constant-blah-blah", "vus": 10, "duration": "60s"}})",
     Expect::kRefused},
    {11, R"({"someKey": {"executor": "constant-vus", "uknownField": "should_error"}})",
     Expect::kRefused},
    {12, R"({"someKey": {"executor": "constant-vus", "vus": 10, "duration": "60s", "env": 123}})",
     Expect::kRefused},
    {13, R"({"someKey": {"executor": "constant-vus", "vus": 10, "duration": "60s",
             "gracefulStop": "10s", "startTime": "70s", "env": {"test": "mest"}, "exec": "someFunc"}})",
     Expect::kAccepted},
    {14, R"({"aname": {"executor": "constant-vus", "duration": "60s"}})", Expect::kAccepted},
    {15, R"({"": {"executor": "constant-vus", "vus": 10, "duration": "60s"}})", Expect::kRefused},
    {16, R"({"aname": {"executor": "constant-vus"}})", Expect::kRefused},
    {17, R"({"aname": {"executor": "constant-vus", "vus": 0.5}})", Expect::kRefused},
    {18, R"({"aname": {"executor": "constant-vus", "vus": 10}})", Expect::kRefused},
    {19, R"({"aname": {"executor": "constant-vus", "vus": 0, "duration": "60s"}})",
     Expect::kRefused},
    {20, R"({"aname": {"executor": "constant-vus", "vus": -1, "duration": "60s"}})",
     Expect::kRefused},
    {21, R"({"aname": {"executor": "constant-vus", "vus": 10, "duration": "0s"}})",
     Expect::kRefused},
    {22,
     R"({"aname": {"executor": "constant-vus", "vus": 10, "duration": "10s", "startTime": "-10s"}})",
     Expect::kRefused},
    {23, R"({"aname": {"executor": "constant-vus", "vus": 10, "duration": "10s", "exec": ""}})",
     Expect::kRefused},
    {24,
     R"({"aname": {"executor": "constant-vus", "vus": 10, "duration": "10s", "gracefulStop": "-2s"}})",
     Expect::kRefused},
    // ramping-vus
    {25, R"({"varloops": {"executor": "ramping-vus", "startVUs": 20, "gracefulStop": "15s",
             "gracefulRampDown": "10s", "startTime": "23s",
             "stages": [{"duration": "60s", "target": 30}, {"duration": "130s", "target": 10}]}})",
     Expect::kAccepted},
    {26, R"({"varloops": {"executor": "ramping-vus", "startVUs": 1, "gracefulStop": "0s",
             "gracefulRampDown": "10s", "stages": [{"duration": "10s", "target": 10}]}})",
     Expect::kAccepted},
    {27, R"({"varloops": {"executor": "ramping-vus", "startVUs": 1, "gracefulStop": "0s",
             "gracefulRampDown": "0s", "stages": [{"duration": "10s", "target": 10},
             {"duration": "0s", "target": 1}, {"duration": "10s", "target": 5}]}})",
     Expect::kAccepted},
    {28, R"({"varloops": {"executor": "ramping-vus", "startVUs": 1, "gracefulStop": "0s",
             "gracefulRampDown": "0s", "stages": [{"duration": "10s", "target": 10},
             {"duration": "0s", "target": 11},{"duration": "0s", "target": 1},
             {"duration": "10s", "target": 5}]}})",
     Expect::kAccepted},
    {29,
     R"({"varloops": {"executor": "ramping-vus", "startVUs": 0, "stages": [{"duration": "60s", "target": 0}]}})",
     Expect::kRefused},
    {30,
     R"({"varloops": {"executor": "ramping-vus", "startVUs": -1, "stages": [{"duration": "60s", "target": 30}]}})",
     Expect::kRefused},
    {31,
     R"({"varloops": {"executor": "ramping-vus", "startVUs": 2, "stages": [{"duration": "-60s", "target": 30}]}})",
     Expect::kRefused},
    {32,
     R"({"varloops": {"executor": "ramping-vus", "startVUs": 2, "stages": [{"duration": "60s", "target": -30}]}})",
     Expect::kRefused},
    {33, R"({"varloops": {"executor": "ramping-vus", "stages": [{"duration": "60s"}]}})",
     Expect::kRefused},
    {34, R"({"varloops": {"executor": "ramping-vus", "stages": [{"target": 30}]}})",
     Expect::kRefused},
    {35, R"({"varloops": {"executor": "ramping-vus", "stages": []}})", Expect::kRefused},
    {36, R"({"varloops": {"executor": "ramping-vus"}})", Expect::kRefused},
    // shared-iterations
    {37,
     R"({"ishared": {"executor": "shared-iterations", "iterations": 22, "vus": 12, "maxDuration": "100s"}})",
     Expect::kAccepted},
    {38, R"({"ishared": {"executor": "shared-iterations"}})", Expect::kAccepted},
    {39, R"({"ishared": {"executor": "shared-iterations", "iterations": 20}})", Expect::kAccepted},
    {40, R"({"ishared": {"executor": "shared-iterations", "vus": 10}})", Expect::kRefused},
    {41,
     R"({"ishared": {"executor": "shared-iterations", "iterations": 20, "vus": 10, "maxDuration": "30m"}})",
     Expect::kAccepted},
    {42,
     R"({"ishared": {"executor": "shared-iterations", "iterations": 20, "vus": 10, "maxDuration": "-3m"}})",
     Expect::kRefused},
    {43,
     R"({"ishared": {"executor": "shared-iterations", "iterations": 20, "vus": 10, "maxDuration": "0s"}})",
     Expect::kRefused},
    {44, R"({"ishared": {"executor": "shared-iterations", "iterations": 20, "vus": -10}})",
     Expect::kRefused},
    {45, R"({"ishared": {"executor": "shared-iterations", "iterations": -1, "vus": 1}})",
     Expect::kRefused},
    {46, R"({"ishared": {"executor": "shared-iterations", "iterations": 20, "vus": 30}})",
     Expect::kRefused},
    // per-vu-iterations
    {47,
     R"({"ipervu": {"executor": "per-vu-iterations", "iterations": 23, "vus": 13, "gracefulStop": 0}})",
     Expect::kAccepted},
    {48, R"({"ipervu": {"executor": "per-vu-iterations"}})", Expect::kAccepted},
    {49, R"({"ipervu": {"executor": "per-vu-iterations", "iterations": 20}})", Expect::kAccepted},
    {50, R"({"ipervu": {"executor": "per-vu-iterations", "vus": 10}})", Expect::kAccepted},
    {51, R"({"ipervu": {"executor": "per-vu-iterations", "iterations": 20, "vus": 10}})",
     Expect::kAccepted},
    {52,
     R"({"ipervu": {"executor": "per-vu-iterations", "iterations": 20, "vus": 10, "maxDuration": "-3m"}})",
     Expect::kRefused},
    {53,
     R"({"ipervu": {"executor": "per-vu-iterations", "iterations": 20, "vus": 10, "maxDuration": "0s"}})",
     Expect::kRefused},
    {54, R"({"ipervu": {"executor": "per-vu-iterations", "iterations": 20, "vus": -10}})",
     Expect::kRefused},
    {55, R"({"ipervu": {"executor": "per-vu-iterations", "iterations": -1, "vus": 1}})",
     Expect::kRefused},
    // constant-arrival-rate
    {56, R"({"carrival": {"executor": "constant-arrival-rate", "rate": 30, "timeUnit": "1m",
             "duration": "10m", "preAllocatedVUs": 20, "maxVUs": 30}})",
     Expect::kAccepted},
    {57,
     R"({"carrival": {"executor": "constant-arrival-rate", "rate": 10, "duration": "10m", "preAllocatedVUs": 20, "maxVUs": 30}})",
     Expect::kAccepted},
    {58,
     R"({"carrival": {"executor": "constant-arrival-rate", "rate": 10, "duration": "10m", "preAllocatedVUs": 20, "maxVUs": 30, "timeUnit": "-1s"}})",
     Expect::kRefused},
    {59,
     R"({"carrival": {"executor": "constant-arrival-rate", "rate": 10, "duration": "10m", "preAllocatedVUs": 20, "maxVUs": 30, "timeUnit": "0s"}})",
     Expect::kRefused},
    {60,
     R"({"carrival": {"executor": "constant-arrival-rate", "rate": 10, "duration": "10m", "preAllocatedVUs": 20}})",
     Expect::kAccepted},
    {61,
     R"({"carrival": {"executor": "constant-arrival-rate", "rate": 10, "duration": "10m", "maxVUs": 30}})",
     Expect::kRefused},
    {62,
     R"({"carrival": {"executor": "constant-arrival-rate", "rate": 10, "preAllocatedVUs": 20, "maxVUs": 30}})",
     Expect::kRefused},
    {63,
     R"({"carrival": {"executor": "constant-arrival-rate", "duration": "10m", "preAllocatedVUs": 20, "maxVUs": 30}})",
     Expect::kRefused},
    {64,
     R"({"carrival": {"executor": "constant-arrival-rate", "rate": 10, "duration": "0m", "preAllocatedVUs": 20, "maxVUs": 30}})",
     Expect::kRefused},
    {65,
     R"({"carrival": {"executor": "constant-arrival-rate", "rate": 0, "duration": "10m", "preAllocatedVUs": 20, "maxVUs": 30}})",
     Expect::kRefused},
    {66,
     R"({"carrival": {"executor": "constant-arrival-rate", "rate": 10, "duration": "10m", "preAllocatedVUs": 20, "maxVUs": 15}})",
     Expect::kRefused},
    {67,
     R"({"carrival": {"executor": "constant-arrival-rate", "rate": 10, "duration": "0s", "preAllocatedVUs": 20, "maxVUs": 25}})",
     Expect::kRefused},
    {68,
     R"({"carrival": {"executor": "constant-arrival-rate", "rate": 10, "duration": "10m", "preAllocatedVUs": -2, "maxVUs": 25}})",
     Expect::kRefused},
    // ramping-arrival-rate
    {69, R"({"varrival": {"executor": "ramping-arrival-rate", "startRate": 10, "timeUnit": "30s",
             "preAllocatedVUs": 20, "maxVUs": 50,
             "stages": [{"duration": "3m", "target": 30}, {"duration": "5m", "target": 10}]}})",
     Expect::kAccepted},
    {70,
     R"({"varrival": {"executor": "ramping-arrival-rate", "preAllocatedVUs": 20, "maxVUs": 50, "stages": [{"duration": "5m", "target": 10}]}})",
     Expect::kAccepted},
    {71,
     R"({"varrival": {"executor": "ramping-arrival-rate", "preAllocatedVUs": -20, "maxVUs": 50, "stages": [{"duration": "5m", "target": 10}]}})",
     Expect::kRefused},
    {72,
     R"({"varrival": {"executor": "ramping-arrival-rate", "startRate": -1, "preAllocatedVUs": 20, "maxVUs": 50, "stages": [{"duration": "5m", "target": 10}]}})",
     Expect::kRefused},
    {73,
     R"({"varrival": {"executor": "ramping-arrival-rate", "preAllocatedVUs": 20, "stages": [{"duration": "5m", "target": 10}]}})",
     Expect::kAccepted},
    {74,
     R"({"varrival": {"executor": "ramping-arrival-rate", "maxVUs": 50, "stages": [{"duration": "5m", "target": 10}]}})",
     Expect::kRefused},
    {75,
     R"({"varrival": {"executor": "ramping-arrival-rate", "preAllocatedVUs": 20, "maxVUs": 50}})",
     Expect::kRefused},
    {76,
     R"({"varrival": {"executor": "ramping-arrival-rate", "preAllocatedVUs": 20, "maxVUs": 50, "stages": []}})",
     Expect::kRefused},
    {77,
     R"({"varrival": {"executor": "ramping-arrival-rate", "preAllocatedVUs": 20, "maxVUs": 50, "stages": [{"duration": "5m", "target": 10}], "timeUnit": "-1s"}})",
     Expect::kRefused},
    {78,
     R"({"varrival": {"executor": "ramping-arrival-rate", "preAllocatedVUs": 20, "maxVUs": 50, "stages": [{"duration": "5m", "target": 10}], "timeUnit": "0s"}})",
     Expect::kRefused},
    {79,
     R"({"varrival": {"executor": "ramping-arrival-rate", "preAllocatedVUs": 30, "maxVUs": 20, "stages": [{"duration": "5m", "target": 10}]}})",
     Expect::kRefused},
    {81,
     R"({"ui": {"executor": "shared-iterations", "iterations": 22, "vus": 12, "maxDuration": "100s", "options": {"unsupported": {}}}})",
     Expect::kRefused},
};

rapidjson::Document options_with(const char* scenarios_json) {
  std::string text = std::string(R"({"scenarios": )") + scenarios_json + "}";
  rapidjson::Document document;
  document.Parse(text.c_str());
  REQUIRE_FALSE(document.HasParseError());
  return document;
}

std::string refusal_of(const char* scenarios_json) {
  try {
    resolve_scenarios(options_with(scenarios_json), {});
  } catch (const ConfigError& error) {
    return error.what();
  }
  return "";
}

std::vector<ScenarioConfig> scenarios_of(const char* scenarios_json) {
  return resolve_scenarios(options_with(scenarios_json), {});
}

const char* json_of(int k6_index) {
  for (const ConfigMapCase& c : kCases)
    if (c.k6_index == k6_index) return c.scenarios_json;
  FAIL("no case " << k6_index);
  return "";
}

// The end of a scenario as k6's GetEndOffset counts it, and of the test
// (GetFullExecutionRequirements): lueng's run deadline.
double end_of(const ScenarioConfig& s) {
  return s.executor_config->max_duration() + s.graceful_stop;
}
double test_end_of(const ScenarioConfig& s) {
  return s.start_time + end_of(s);
}

lueng::result::ScenarioSummary load_of(const ScenarioConfig& s) {
  lueng::result::ScenarioSummary summary;
  s.executor_config->summarize(summary);
  return summary;
}

}  // namespace

TEST_CASE("k6 configMapTestCases: each case is accepted or refused as in k6") {
  for (const ConfigMapCase& c : kCases) {
    INFO("k6 case #" << c.k6_index << ": " << c.scenarios_json);
    std::string refusal = refusal_of(c.scenarios_json);
    if (c.expect == Expect::kAccepted)
      CHECK(refusal.empty());
    else
      CHECK_FALSE(refusal.empty());
  }
  CHECK(std::size(kCases) == 75);  // 81 in k6, less 4 JSON texts and 2 differences
}

TEST_CASE("k6 configMapTestCases: the accepted cases hold k6's values") {
  SECTION("#6 {} and #8 null: one iteration on one VU, as k6's consolidation makes them") {
    for (int index : {6, 8}) {
      auto scenarios = scenarios_of(json_of(index));
      REQUIRE(scenarios.size() == 1);
      CHECK(scenarios[0].name == "default");
      CHECK(scenarios[0].executor == "per-vu-iterations");
      CHECK(load_of(scenarios[0]).vus == 1);
      CHECK(load_of(scenarios[0]).iterations == 1);
    }
  }
  SECTION("#13 constant-vus with every base option") {
    auto scenarios = scenarios_of(json_of(13));
    REQUIRE(scenarios.size() == 1);
    const ScenarioConfig& s = scenarios[0];
    CHECK(s.name == "someKey");
    CHECK(s.executor == "constant-vus");
    CHECK(s.graceful_stop == 10);
    CHECK(s.start_time == 70);
    CHECK(s.exec == "someFunc");
    CHECK(s.env == KeyValues{{"test", "mest"}});
    CHECK(s.executor_config->max_vus(Segment{}) == 10);
    CHECK(s.executor_config->max_duration() == 60);
    CHECK(end_of(s) == 70);
    CHECK(test_end_of(s) == 140);
  }
  SECTION("#25 to #28 ramping-vus: most VUs, length and ends") {
    auto s = scenarios_of(json_of(25)).at(0);
    CHECK(load_of(s).start_target == 20);
    CHECK(s.executor_config->max_vus(Segment{}) == 30);
    CHECK(s.executor_config->max_duration() == 190);
    CHECK(end_of(s) == 205);
    CHECK(test_end_of(s) == 228);
    CHECK(scenarios_of(json_of(26)).at(0).executor_config->max_vus(Segment{}) == 10);
    auto three = scenarios_of(json_of(27)).at(0);
    CHECK(three.executor_config->max_vus(Segment{}) == 10);
    CHECK(three.executor_config->max_duration() == 20);
    CHECK(scenarios_of(json_of(28)).at(0).executor_config->max_vus(Segment{}) == 11);
  }
  SECTION("#37 shared-iterations, whole and split into execution segments") {
    auto s = scenarios_of(json_of(37)).at(0);
    CHECK(load_of(s).iterations == 22);
    CHECK(s.executor_config->max_vus(Segment{}) == 12);
    CHECK(end_of(s) == 130);
    auto share = [&](const char* segment, const char* sequence) {
      lueng::ExecutionSegment parsed;
      std::vector<lueng::Fraction> points;
      REQUIRE(lueng::parse_execution_segment(segment, parsed).empty());
      REQUIRE(lueng::parse_segment_sequence(sequence, points).empty());
      lueng::ExecutionTuple tuple;
      REQUIRE(lueng::ExecutionTuple::make(parsed, points, tuple).empty());
      return s.executor_config->describe_share({0, 1, &tuple});
    };
    // k6: "8 iterations shared among 4 VUs", "7 ... among 4", "0 ... among 0".
    CHECK(share("0:1/3", "0,1/3,2/3,1") == "4 of 12 VUs, 8 of 22 iterations");
    CHECK(share("1/3:2/3", "0,1/3,2/3,1") == "4 of 12 VUs, 7 of 22 iterations");
    CHECK(share("12/13:1", "0,1/13,2/13,3/13,4/13,5/13,6/13,7/13,8/13,9/13,10/13,11/13,12/13,1") ==
          "0 of 12 VUs, 0 of 22 iterations");
    auto defaults = scenarios_of(json_of(38)).at(0);  // 1 VU and 1 iteration
    CHECK(load_of(defaults).iterations == 1);
    CHECK(defaults.executor_config->max_vus(Segment{}) == 1);
  }
  SECTION("#47 per-vu-iterations: maxDuration 10m by default, gracefulStop 0") {
    auto s = scenarios_of(json_of(47)).at(0);
    CHECK(load_of(s).iterations == 23);
    CHECK(s.executor_config->max_vus(Segment{}) == 13);
    CHECK(s.graceful_stop == 0);
    CHECK(end_of(s) == 600);
  }
  SECTION("#56 and #60 constant-arrival-rate: planned and possible VUs") {
    auto s = scenarios_of(json_of(56)).at(0);
    CHECK(s.executor_config->initial_vus(Segment{}) == 20);
    CHECK(s.executor_config->max_vus(Segment{}) == 30);
    CHECK(end_of(s) == 630);
    // maxVUs defaults to preAllocatedVUs.
    CHECK(scenarios_of(json_of(60)).at(0).executor_config->max_vus(Segment{}) == 20);
  }
  SECTION("#69 and #73 ramping-arrival-rate") {
    auto s = scenarios_of(json_of(69)).at(0);
    CHECK(s.executor_config->initial_vus(Segment{}) == 20);
    CHECK(s.executor_config->max_vus(Segment{}) == 50);
    CHECK(s.executor_config->max_duration() == 480);
    CHECK(end_of(s) == 510);
    CHECK(scenarios_of(json_of(73)).at(0).executor_config->max_vus(Segment{}) == 20);
  }
}

TEST_CASE("k6 configMapTestCases: refusals name the scenario") {
  CHECK(refusal_of(json_of(15)) == R"(options.scenarios[""]: a scenario name can't be empty)");
  CHECK(refusal_of(json_of(23)) == "options.scenarios.aname.exec: exec value cannot be empty");
  for (const char* name : {"with space", "with.dot", "émoji", "a/b"}) {
    std::string json =
        std::string(R"({")") + name + R"(": {"executor": "constant-vus", "duration": "1s"}})";
    CHECK(refusal_of(json.c_str()) ==
          std::string("options.scenarios[\"") + name +
              "\"]: the scenario name should contain only numbers, latin letters, underscores, "
              "and dashes");
  }
  CHECK(refusal_of(R"({"Mixed_case-9": {"executor": "constant-vus", "duration": "1s"}})").empty());
}

TEST_CASE("k6 configMapTestCases: the documented differences") {
  // #5 "[]": k6 refuses a JSON list. In Lua an empty list and an empty table are
  // the same value, {}, which lueng reads as k6's {} (#6); a list with scenarios in
  // it is refused, as in k6.
  CHECK(scenarios_of("[]").at(0).executor == "per-vu-iterations");
  CHECK(refusal_of(R"([{"executor": "constant-vus", "duration": "1s"}])") ==
        "options.scenarios: must be a table of name = { executor = ..., ... }");
  // #80 k6 takes a scenario's options.browser for its browser module; lueng has no
  // browser, so the option is unknown.
  CHECK(refusal_of(R"({"ui": {"executor": "shared-iterations", "iterations": 22, "vus": 12,
                      "maxDuration": "100s", "options": {"browser": {"someBrowserOption": true}}}})") ==
        "options.scenarios.ui.options: unknown scenario option");
}
