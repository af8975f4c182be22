#include <catch2/catch.hpp>

#include <set>

#include <rapidjson/document.h>

#include "engine/exec/executor.hpp"
#include "engine/exec/options.hpp"
#include "engine/result/run_result.hpp"

#include <openssl/tls1.h>

using namespace lueng::exec;

namespace {
rapidjson::Document parse(const char* json) {
  rapidjson::Document document;
  document.Parse(json);
  REQUIRE_FALSE(document.HasParseError());
  return document;
}

std::string error_of(const char* json, Shortcuts cli = {}) {
  try {
    resolve_scenarios(parse(json), cli);
  } catch (const ConfigError& error) {
    return error.what();
  }
  return "";
}

// The scenario's load as its executor accounts for it in the result model.
lueng::result::ScenarioSummary load_of(const ScenarioConfig& scenario) {
  REQUIRE(scenario.executor_config);
  lueng::result::ScenarioSummary summary;
  scenario.executor_config->summarize(summary);
  return summary;
}
}  // namespace

TEST_CASE("shortcuts derive one default scenario the way k6 does") {
  Shortcuts only_vus;
  only_vus.vus = 3;
  auto scenarios = resolve_scenarios(parse("null"), only_vus);
  REQUIRE(scenarios.size() == 1);
  CHECK(scenarios[0].name == "default");
  CHECK(scenarios[0].executor == "shared-iterations");  // as many iterations as VUs
  CHECK(load_of(scenarios[0]).vus == 3);
  CHECK(load_of(scenarios[0]).iterations == 3);

  Shortcuts duration;
  duration.vus = 20;
  duration.duration = 30;
  scenarios = resolve_scenarios(parse("null"), duration);
  CHECK(scenarios[0].executor == "constant-vus");
  CHECK(load_of(scenarios[0]).vus == 20);
  CHECK(load_of(scenarios[0]).duration == 30);

  Shortcuts iterations;
  iterations.iterations = 1000;
  scenarios = resolve_scenarios(parse("null"), iterations);
  CHECK(scenarios[0].executor == "shared-iterations");
  CHECK(load_of(scenarios[0]).iterations == 1000);
  CHECK(load_of(scenarios[0]).vus == 1);
  CHECK(scenarios[0].executor_config->max_duration() == 600);

  iterations.duration = 20;  // then the duration bounds the iterations
  scenarios = resolve_scenarios(parse("null"), iterations);
  CHECK(scenarios[0].executor == "shared-iterations");
  CHECK(scenarios[0].executor_config->max_duration() == 20);

  Shortcuts stages;
  stages.vus = 2;
  stages.stages = {{10, 5}, {10, 0}};
  scenarios = resolve_scenarios(parse("null"), stages);
  CHECK(scenarios[0].executor == "ramping-vus");
  CHECK(load_of(scenarios[0]).start_target == 2);
  CHECK(load_of(scenarios[0]).stages == std::vector<std::pair<double, int64_t>>{{10, 5}, {10, 0}});
}

TEST_CASE("exactly one executor takes each combination of shortcuts") {
  // Stages are never given with a duration or iterations (resolve_scenarios refuses it).
  for (int bits = 0; bits < 16; ++bits) {
    Shortcuts s;
    if (bits & 1) s.vus = 4;
    if (bits & 2) s.duration = 10;
    if (bits & 4) s.iterations = 8;
    if (bits & 8) s.stages = {{10, 5}};
    if (!s.stages.empty() && (s.duration || s.iterations)) continue;
    int takers = 0;
    for (const ExecutorKind* kind : executor_kinds()) takers += kind->from_shortcuts(s) != nullptr;
    INFO("shortcuts " << bits);
    CHECK(takers == 1);
    CHECK(scenario_from_shortcuts(s).executor_config->validate().empty());
  }
}

TEST_CASE("command-line shortcuts replace the script's scenarios and options") {
  const char* options =
      R"({"vus": 7, "duration": "1m", "scenarios": {"a": {"executor": "constant-vus", "vus": 2, "duration": "5s"}}})";
  Shortcuts cli;
  cli.iterations = 10;
  auto scenarios = resolve_scenarios(parse(options), cli);
  REQUIRE(scenarios.size() == 1);
  CHECK(scenarios[0].executor == "shared-iterations");
  CHECK(load_of(scenarios[0]).vus == 7);  // the script's vus still apply when the flag is absent
  // In the script alone, a duration next to scenarios is an error, as in k6.
  CHECK(error_of(options) ==
        "options: using `duration` and `scenarios` options simultaneously is not allowed");
}

TEST_CASE("scenarios accept camelCase and snake_case options") {
  auto scenarios = resolve_scenarios(
      parse(R"({"scenarios": {"browse": {"executor": "per-vu-iterations", "vus": 2, "iterations": 5,
               "max_duration": "30s", "startTime": "2s", "graceful_stop": 1500, "exec": "browse",
               "tags": {"kind": "read"}, "env": {"MODE": "fast", "N": 3}}}})"),
      {});
  REQUIRE(scenarios.size() == 1);
  const ScenarioConfig& s = scenarios[0];
  CHECK(s.executor_config->max_duration() == 30);
  CHECK(s.start_time == 2);
  CHECK(s.graceful_stop == Approx(1.5));  // numbers are milliseconds, as in k6
  CHECK(s.exec == "browse");
  CHECK(s.tags == KeyValues{{"kind", "read"}});
  CHECK(s.env == KeyValues{{"MODE", "fast"}, {"N", "3"}});
}

namespace {
ScenarioConfig only_scenario(const std::string& table) {
  auto scenarios =
      resolve_scenarios(parse(("{\"scenarios\": {\"s\": " + table + "}}").c_str()), {});
  REQUIRE(scenarios.size() == 1);
  return scenarios[0];
}
}  // namespace

TEST_CASE("each executor reads its own options and accounts for its load") {
  using lueng::result::LoadShape;
  struct Case {
    const char* table;
    const char* description;
    LoadShape load;
    int64_t vus, iterations;
    double duration;
    int64_t start_target;
    size_t stages;
    double max_duration;
    int64_t max_vus, initial_vus;
  };
  const Case cases[] = {
      {R"({"executor": "constant-vus", "vus": 3, "duration": "1m"})", "3 looping VUs for 1m0s",
       LoadShape::kConstant, 3, 0, 60, 0, 0, 60, 3, 3},
      {R"({"executor": "per-vu-iterations", "vus": 2, "iterations": 4})",
       "4 iterations for each of 2 VUs (maxDuration: 10m0s)", LoadShape::kOther, 2, 4, 0, 0, 0, 600,
       2, 2},
      {R"({"executor": "shared-iterations", "vus": 2, "iterations": 9, "maxDuration": "5s"})",
       "9 iterations shared among 2 VUs (maxDuration: 5s)", LoadShape::kOther, 2, 9, 0, 0, 0, 5, 2,
       2},
      {R"({"executor": "ramping-vus", "startVUs": 2, "gracefulRampDown": "1s",
           "stages": [{"duration": "10s", "target": 8}, {"duration": "5s", "target": 0}]})",
       "up to 8 looping VUs for 15s over 2 stages (startVUs: 2, gracefulRampDown: 1s)",
       LoadShape::kRamping, 2, 0, 0, 2, 2, 15, 8, 8},
      {R"({"executor": "constant-arrival-rate", "rate": 30, "timeUnit": "1m", "duration": "2m",
           "preAllocatedVUs": 5, "maxVUs": 50})",
       "30 iterations per 1m0s for 2m0s (preAllocatedVUs: 5, maxVUs: 50)", LoadShape::kConstant, 5,
       0, 120, 0, 0, 120, 50, 5},
      {R"({"executor": "ramping-arrival-rate", "startRate": 4, "preAllocatedVUs": 3,
           "stages": [{"duration": "20s", "target": 40}]})",
       "up to 40 iterations per 1s for 20s over 1 stages (startRate: 4, preAllocatedVUs: 3, "
       "maxVUs: 3)",
       LoadShape::kRamping, 3, 0, 0, 4, 1, 20, 3, 3},
  };
  for (const Case& c : cases) {
    INFO(c.table);
    ScenarioConfig scenario = only_scenario(c.table);
    const ExecutorConfig& executor = *scenario.executor_config;
    CHECK(executor.describe() == c.description);
    CHECK(executor.max_duration() == c.max_duration);
    CHECK(executor.max_vus(Segment{}) == c.max_vus);
    CHECK(executor.initial_vus(Segment{}) == c.initial_vus);
    lueng::result::ScenarioSummary summary = load_of(scenario);
    CHECK(summary.load == c.load);
    CHECK(summary.vus == c.vus);
    CHECK(summary.iterations == c.iterations);
    CHECK(summary.duration == c.duration);
    CHECK(summary.start_target == c.start_target);
    CHECK(summary.stages.size() == c.stages);
  }
}

TEST_CASE("an option of another executor is checked, then ignored") {
  ScenarioConfig s = only_scenario(
      R"({"executor": "constant-vus", "duration": "1s", "rate": 5, "maxDuration": "9s"})");
  CHECK(s.executor_config->describe() == "1 looping VUs for 1s");
  CHECK(s.executor_config->max_duration() == 1);
  CHECK(error_of(R"({"scenarios": {"s": {"executor": "constant-vus", "duration": "1s",
                    "rate": -1}}})") == "options.scenarios.s.rate: must be a whole number >= 0");
  CHECK(error_of(R"({"scenarios": {"s": {"executor": "constant-vus", "duration": "1s",
                    "time_unit": "0s"}}})") ==
        "options.scenarios.s.time_unit: must be longer than 0s");
  // Options are checked whatever the executor, even one that does not exist.
  CHECK(error_of(R"({"scenarios": {"s": {"executor": "nope", "stages": []}}})") ==
        "options.scenarios.s.stages: must be a list of { duration = ..., target = ... }");
}

TEST_CASE("env numbers become their text: whole, fractional or huge") {
  auto scenarios = resolve_scenarios(parse(R"({"scenarios": {"s": {"executor": "per-vu-iterations",
               "env": {"N": -3, "HALF": 0.5, "BIG": 1e300}}}})"),
                                     {});
  REQUIRE(scenarios.size() == 1);
  CHECK(scenarios[0].env ==
        KeyValues{{"N", "-3"}, {"HALF", std::to_string(0.5)}, {"BIG", std::to_string(1e300)}});
}

TEST_CASE("bad options name the exact key") {
  CHECK(error_of(R"({"duration": "10x"})").find("options.duration: '10x' is not a duration") == 0);
  CHECK(error_of(R"({"scenarios": {"s": {"executor": "nope"}}})")
            .find("options.scenarios.s.executor: unknown executor 'nope'") == 0);
  CHECK(error_of(R"({"scenarios": {"s": {"vus": 1}}})") ==
        "options.scenarios.s.executor: is required");
  CHECK(error_of(R"({"scenarios": {"s": {"executor": "constant-vus", "vus": 1}}})") ==
        "options.scenarios.s: duration must be set and longer than 0s");
  CHECK(
      error_of(
          R"({"scenarios": {"s": {"executor": "shared-iterations", "vus": 5, "iterations": 2}}})") ==
      "options.scenarios.s: iterations (2) must not be fewer than vus (5)");
  CHECK(error_of(
            R"({"scenarios": {"s": {"executor": "constant-vus", "duration": "1s", "vus": -1}}})") ==
        "options.scenarios.s.vus: must be a whole number >= 0");
  CHECK(
      error_of(
          R"({"scenarios": {"s": {"executor": "constant-vus", "duration": "1s", "vus": 1e300}}})") ==
      "options.scenarios.s.vus: must be at most 9007199254740992 (2^53)");
  CHECK(error_of(
            R"({"scenarios": {"s": {"executor": "constant-vus", "duration": "1s", "typo": 1}}})") ==
        "options.scenarios.s.typo: unknown scenario option");
  // A typo of an option some part of lueng reads is named, in camelCase.
  CHECK(error_of(R"({"scenarios": {"s": {"executor": "constant-vus", "duration": "1s",
                    "stratTime": "1s"}}})") ==
        "options.scenarios.s.stratTime: unknown scenario option (did you mean startTime?)");
  CHECK(error_of(R"({"scenarios": {"s": {"executor": "constant-arrival-rate", "rate": 1,
                    "duration": "1s", "preAllocatedVUs": 1, "max_vu": 2}}})") ==
        "options.scenarios.s.max_vu: unknown scenario option (did you mean maxVUs?)");
}

TEST_CASE("a run may have at most kMaxVus VUs, over all its scenarios") {
  CHECK(kMaxVus == 10'000'000);
  CHECK(error_of(R"({"vus": 10000001, "duration": "1s"})") ==
        "options: 10000001 VUs is more than lueng allows (10000000 at most)");
  Shortcuts typo;
  typo.vus = 99999999999999;
  CHECK(error_of("{}", typo) ==
        "command line: 99999999999999 VUs is more than lueng allows (10000000 at most)");
  CHECK(error_of(R"({"stages": [{"duration": "1s", "target": 20000000}]})") ==
        "options: 20000000 VUs is more than lueng allows (10000000 at most)");
  CHECK(error_of(R"({"scenarios": {
          "a": {"executor": "constant-vus", "duration": "1s", "vus": 6000000},
          "b": {"executor": "ramping-arrival-rate", "preAllocatedVUs": 1, "maxVUs": 6000000,
                "stages": [{"duration": "1s", "target": 1}]}}})") ==
        "options.scenarios: 12000000 VUs is more than lueng allows (10000000 at most)");
  CHECK(error_of(R"({"vus": 1000, "duration": "1s"})").empty());
}

TEST_CASE("segments split totals exactly") {
  for (int workers = 1; workers <= 7; ++workers)
    for (int64_t total : {0, 1, 5, 10, 97, 1000}) {
      int64_t sum = 0;
      for (int i = 0; i < workers; ++i) sum += Segment{i, workers}.share(total);
      CHECK(sum == total);
    }
}

TEST_CASE("a segment's share never shrinks as the total grows") {
  // ramping-vus activates share(target) VUs of the share(max) it created.
  for (int workers = 1; workers <= 7; ++workers)
    for (int i = 0; i < workers; ++i)
      for (int64_t total = 0; total < 200; ++total)
        CHECK(Segment{i, workers}.share(total + 1) >= Segment{i, workers}.share(total));
}

namespace {
std::string tls_error_of(const char* json) {
  try {
    resolve_tls_options(parse(json));
  } catch (const ConfigError& error) {
    return error.what();
  }
  return "";
}
}  // namespace

TEST_CASE("TLS options are read under k6's names and snake_case") {
  auto tls = resolve_tls_options(parse(R"({"insecureSkipTLSVerify": true, "tlsCACert": "ca.pem",
      "tlsVersion": {"min": "tls1.2", "max": "tls1.3"},
      "tlsAuth": [{"domains": ["a.example", "*.b.example"], "cert": "c.pem", "key": "k.pem"}]})"));
  CHECK(tls.insecure_skip_verify);
  CHECK(tls.ca_file == "ca.pem");
  CHECK(tls.min_version == TLS1_2_VERSION);
  CHECK(tls.max_version == TLS1_3_VERSION);
  REQUIRE(tls.client_certificates.size() == 1);
  CHECK(tls.client_certificates[0].domains.size() == 2);
  CHECK(tls.client_certificates[0].cert == "c.pem");
  CHECK(tls.client_certificates[0].where == "options.tlsAuth[1]");

  auto snake = resolve_tls_options(
      parse(R"({"insecure_skip_tls_verify": true, "tls_ca_cert": "x", "tls_version": "tls1.3"})"));
  CHECK(snake.insecure_skip_verify);
  CHECK(snake.ca_file == "x");
  CHECK(snake.min_version == TLS1_3_VERSION);
  CHECK(snake.max_version == TLS1_3_VERSION);

  CHECK_FALSE(resolve_tls_options(parse("null")).insecure_skip_verify);
}

TEST_CASE("bad TLS options name the key") {
  CHECK_THAT(tls_error_of(R"({"tlsVersion": "ssl3"})"), Catch::StartsWith("options.tlsVersion:"));
  CHECK_THAT(tls_error_of(R"({"tlsVersion": {"min": "tls1.3", "max": "tls1.2"}})"),
             Catch::Contains("min is newer than max"));
  CHECK_THAT(tls_error_of(R"({"tlsVersion": {"lowest": "tls1.2"}})"),
             Catch::StartsWith("options.tlsVersion.lowest:"));
  CHECK_THAT(tls_error_of(R"({"insecureSkipTLSVerify": "yes"})"),
             Catch::StartsWith("options.insecureSkipTLSVerify:"));
  CHECK_THAT(tls_error_of(R"({"tlsAuth": [{"cert": "c.pem"}]})"),
             Catch::StartsWith("options.tlsAuth[1].key: is required"));
  CHECK_THAT(tls_error_of(R"({"tlsAuth": [{"cert": "c", "key": "k", "pass": "x"}]})"),
             Catch::StartsWith("options.tlsAuth[1].pass: unknown key"));
  CHECK_THAT(tls_error_of(R"({"tlsAuth": {"cert": "c"}})"), Catch::StartsWith("options.tlsAuth:"));
}

TEST_CASE("iterations are numbered across execution segments disjointly and completely") {
  // 3 instances of one sequence: a scenario's instance iterations, mapped by its
  // numbering, are every number of the whole test once.
  auto scenarios = resolve_scenarios(parse(R"({"scenarios": {
      "pool": {"executor": "shared-iterations", "vus": 5, "iterations": 37},
      "each": {"executor": "per-vu-iterations", "vus": 4, "iterations": 3}}})"),
                                     {});
  std::vector<lueng::Fraction> thirds = {{0, 1}, {1, 3}, {2, 3}, {1, 1}};
  for (const ScenarioConfig& scenario : scenarios) {
    INFO(scenario.name);
    std::set<int64_t> numbers;
    int64_t total = scenario.name == "pool" ? 37 : 12;
    for (size_t i = 0; i < 3; ++i) {
      lueng::ExecutionTuple instance;
      REQUIRE(lueng::ExecutionTuple::make({thirds[i], thirds[i + 1]}, thirds, instance).empty());
      lueng::ExecutionTuple numbering = scenario.executor_config->iteration_numbering(instance);
      // The instance's iterations: its share of the shared ones, or its VUs' 3 each.
      int64_t mine = numbering.scale(total);
      if (scenario.name == "each")
        CHECK(mine == scenario.executor_config->max_vus({0, 1, &instance}) * 3);
      for (int64_t k = 0; k < mine; ++k) CHECK(numbers.insert(numbering.global_index(k)).second);
    }
    CHECK(static_cast<int64_t>(numbers.size()) == total);
    CHECK(*numbers.rbegin() == total - 1);
  }
}
