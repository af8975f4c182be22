// k6's internal/cmd/config_consolidation_test.go cases that apply to lueng, by
// their position in k6's getConfigConsolidationTestCases (from 1). k6 layers a
// config file, the script's options, K6_* variables and the command line, and so
// does lueng (engine/exec/option_layers.hpp). The early cases give their config
// file ("fs" in k6) as the script's options ("runner"), which k6 reads the same
// way; the cases that need the levels told apart give each its own. The flags
// are the already-parsed command line (the flags' own parse errors, the config
// file's read errors and the systemTags and summaryTrendStats cases, which
// k6 checks on a whole run, are tests/integration/test_k6_options.py). k6's
// default config file is, in lueng, one named with --config (docs/from-k6.md).
// #76 (profiling) does not apply.
#include <catch2/catch.hpp>

#include <algorithm>
#include <string>
#include <vector>

#include <rapidjson/document.h>

#include "engine/exec/dns_options.hpp"
#include "engine/exec/env_options.hpp"
#include "engine/exec/executor.hpp"
#include "engine/exec/option_layers.hpp"
#include "engine/exec/options.hpp"
#include "engine/exec/phase_options.hpp"
#include "engine/result/run_result.hpp"

using namespace lueng::exec;

namespace {

rapidjson::Document parse(const char* json) {
  rapidjson::Document document;
  document.Parse(json);
  REQUIRE_FALSE(document.HasParseError());
  return document;
}

struct Derived {
  std::vector<ScenarioConfig> scenarios;
  std::vector<std::string> warnings;
  std::string error;
};

Derived derive(const char* script_options, const Shortcuts& cli = {}) {
  Derived out;
  try {
    out.scenarios = resolve_scenarios(parse(script_options), cli, &out.warnings);
  } catch (const ConfigError& error) {
    out.error = error.what();
  }
  return out;
}

using Env = std::vector<std::pair<std::string, std::string>>;

// The K6_* variables of a case, as `lueng run` reads them from its environment.
std::string read_env(const Env& env, EnvOptions& out) {
  return read_env_options(
      [&env](const char* name) -> const char* {
        for (const auto& [key, value] : env)
          if (key == name) return value.c_str();
        return nullptr;
      },
      out);
}

struct Levels {
  const char* file = "null";    // the config file's options (k6's "fs")
  const char* script = "null";  // the script's options (k6's "runner")
  Env env = {};                 // K6_* variables
};

ConsolidatedOptions consolidate(const Levels& levels, std::string& error) {
  EnvOptions env;
  error = read_env(levels.env, env);
  OptionLevel file{"file", levels.file, {}, "config file 'k6.json'"};
  OptionLevel script{"script", levels.script, {}, ""};
  OptionLevel environment{"env", env.json, env.sources, ""};
  return consolidate_options({file, script, environment});
}

Derived derive_levels(const Levels& levels, const Shortcuts& command_line = {}) {
  Derived out;
  ConsolidatedOptions options = consolidate(levels, out.error);
  if (!out.error.empty()) return out;
  out.warnings = options.warnings;
  try {
    out.scenarios = resolve_scenarios(options.options, command_line, &out.warnings);
  } catch (const ConfigError& error) {
    out.error = with_option_sources(error.what(), options.sources);
  }
  return out;
}

Shortcuts cli(std::optional<int64_t> vus, std::optional<double> duration = std::nullopt,
              std::optional<int64_t> iterations = std::nullopt, std::vector<Stage> stages = {}) {
  Shortcuts s;
  s.vus = vus;
  s.duration = duration;
  s.iterations = iterations;
  s.stages = std::move(stages);
  return s;
}

lueng::result::ScenarioSummary load_of(const ScenarioConfig& s) {
  lueng::result::ScenarioSummary summary;
  s.executor_config->summarize(summary);
  return summary;
}

void check_one_iteration_per_vu(const Derived& d) {
  REQUIRE(d.error.empty());
  REQUIRE(d.scenarios.size() == 1);
  CHECK(d.scenarios[0].name == "default");
  CHECK(d.scenarios[0].executor == "per-vu-iterations");
  CHECK(load_of(d.scenarios[0]).vus == 1);
  CHECK(load_of(d.scenarios[0]).iterations == 1);
}

void check_shared(const Derived& d, int64_t vus, int64_t iterations) {
  INFO(d.error);
  REQUIRE(d.scenarios.size() == 1);
  CHECK(d.scenarios[0].executor == "shared-iterations");
  CHECK(load_of(d.scenarios[0]).vus == vus);
  CHECK(load_of(d.scenarios[0]).iterations == iterations);
}

void check_constant(const Derived& d, int64_t vus, double seconds) {
  INFO(d.error);
  REQUIRE(d.scenarios.size() == 1);
  CHECK(d.scenarios[0].executor == "constant-vus");
  CHECK(load_of(d.scenarios[0]).vus == vus);
  CHECK(load_of(d.scenarios[0]).duration == seconds);
}

void check_ramping(const Derived& d, int64_t start_vus,
                   const std::vector<std::pair<double, int64_t>>& stages) {
  INFO(d.error);
  REQUIRE(d.scenarios.size() == 1);
  CHECK(d.scenarios[0].executor == "ramping-vus");
  CHECK(load_of(d.scenarios[0]).start_target == start_vus);
  CHECK(load_of(d.scenarios[0]).stages == stages);
}

}  // namespace

TEST_CASE("k6 config consolidation: no options at all run one iteration on one VU (#1, #45)") {
  Derived d = derive("null");
  check_one_iteration_per_vu(d);
  CHECK(d.warnings.empty());
  check_one_iteration_per_vu(derive("{}"));
}

TEST_CASE("k6 config consolidation: command-line shortcuts (#9-#16)") {
  check_shared(derive("null", cli(1, {}, 5)), 1, 5);     // #9
  check_shared(derive("null", cli(2, {}, 6)), 2, 6);     // #10
  check_constant(derive("null", cli({}, 123)), 1, 123);  // #11
  check_constant(derive("null", cli(3, 30)), 3, 30);     // #12
  check_constant(derive("null", cli(4, 60)), 4, 60);     // #13
  check_ramping(derive("null", cli({}, {}, {}, {{20, 10}, {180, 5}})), 1,
                {{20, 10}, {180, 5}});                                       // #14
  check_ramping(derive("null", cli(10, {}, {}, {{66, 5}})), 10, {{66, 5}});  // #15
  Derived d = derive("null", cli(1, 10, 6));                                 // #16
  check_shared(d, 1, 6);
  CHECK(d.scenarios[0].executor_config->max_duration() == 10);
}

TEST_CASE("k6 config consolidation: validation and derivation errors (#17, #19-#23)") {
  // #17: more VUs than shared iterations.
  CHECK(derive("null", cli(10, {}, 6)).error ==
        "command line: iterations (6) must not be fewer than vus (10)");
  // #19: a stage without a target.
  CHECK(derive(R"({"stages": [{"duration": "20s"}], "vus": 10})").error ==
        "options.stages[1]: must be { duration = ..., target = ... }");
  // #20, #21: stages with a duration or iterations, on the command line.
  CHECK(derive("null", cli(2, 10, {}, {{10, 20}})).error ==
        "command line: using `duration` and `stages` options simultaneously is not allowed");
  CHECK(derive("null", cli(3, {}, 5, {{10, 20}})).error ==
        "command line: using `iterations` and `stages` options simultaneously is not allowed");
  // #22: -d 0.
  CHECK(derive("null", cli(3, 0))
            .error.starts_with("command line: `duration` option should be more than 0"));
  // #23: the same in the script's options.
  CHECK(derive(R"({"vus": 5, "duration": "44s", "stages": [{"duration": "3s", "target": 20}]})")
            .error ==
        "options: using `duration` and `stages` options simultaneously is not allowed");
}

TEST_CASE("k6 config consolidation: scenarios = {} warns and runs one iteration (#24)") {
  Derived d = derive(R"({"scenarios": {}})");
  check_one_iteration_per_vu(d);
  REQUIRE(d.warnings.size() == 1);
  CHECK(d.warnings[0] ==
        "options.scenarios: was explicitly set to an empty value, running the script with 1 "
        "iteration in 1 VU");
  // The same for stages = {} (an empty Lua table).
  d = derive(R"({"stages": {}})");
  check_one_iteration_per_vu(d);
  CHECK(d.warnings.size() == 1);
}

TEST_CASE("k6 config consolidation: the script's shortcuts (#31, #36, #37, #40)") {
  check_shared(derive(R"({"iterations": 77, "vus": 7})"), 7, 77);     // #31
  check_constant(derive(R"({"vus": 8, "duration": "2m"})"), 8, 120);  // #36
  check_constant(derive(R"({"duration": 20000})"), 1, 20);            // #37: milliseconds
  check_ramping(derive(R"({"stages": [{"duration": "20s", "target": 10}], "vus": 5})"), 5,
                {{20, 10}});  // #40
}

TEST_CASE("k6 config consolidation: --vus alone, with or without scenarios (#34, #35, #77, #78)") {
  check_shared(derive("null", cli(1)), 1, 1);     // #34
  check_shared(derive("null", cli(10)), 10, 10);  // #35
  check_shared(derive("null", cli(8)), 8, 8);     // #77
  Derived d = derive(
      R"({"scenarios": {"api": {"executor": "shared-iterations", "vus": 100, "iterations": 100}}})",
      cli(8));  // #78
  check_shared(d, 8, 8);
  REQUIRE(d.warnings.size() == 1);
  CHECK(d.warnings[0].starts_with("options: `vus=8` overrides scenarios configuration"));
}

TEST_CASE("k6 config consolidation: a command-line ramp replaces the script's (#39)") {
  Derived d = derive(R"({"vus": 5, "duration": "50s"})", cli({}, {}, {}, {{5, 5}}));
  check_ramping(d, 5, {{5, 5}});
  CHECK(d.warnings.empty());
}

TEST_CASE("k6 config consolidation: scenario durations as k6 reads them (#44)") {
  Derived d = derive(R"({"scenarios": {"foo": {"executor": "constant-vus", "vus": 2,
                        "duration": "1d", "gracefulStop": "10000", "startTime": 1000.5}}})");
  REQUIRE(d.scenarios.size() == 1);
  CHECK(d.scenarios[0].name == "foo");
  CHECK(load_of(d.scenarios[0]).vus == 2);
  CHECK(load_of(d.scenarios[0]).duration == 86400);
  CHECK(d.scenarios[0].graceful_stop == 10);
  CHECK(d.scenarios[0].start_time == Approx(1.0005));
}

TEST_CASE("k6 config consolidation: shortcuts next to scenarios in the script") {
  // Not cases of k6's table but of the code it tests
  // (lib/executor/execution_config_shortcuts.go).
  const char* scenario = R"("scenarios": {"s": {"executor": "constant-vus", "duration": "1s"}})";
  auto with = [&](const char* shortcut) {
    return derive((std::string("{") + shortcut + ", " + scenario + "}").c_str());
  };
  CHECK(with(R"("iterations": 5)").error ==
        "options: using `iterations` and `scenarios` options simultaneously is not allowed");
  CHECK(with(R"("duration": "10s")").error ==
        "options: using `duration` and `scenarios` options simultaneously is not allowed");
  CHECK(with(R"("stages": [{"duration": "1s", "target": 1}])").error ==
        "options: using `stages` and `scenarios` options simultaneously is not allowed");
  Derived vus = with(R"("vus": 3)");
  check_shared(vus, 3, 3);
  CHECK(vus.warnings.size() == 1);
  // A command-line duration replaces them all, with k6's warning.
  Derived replaced = with(R"("iterations": 5)");
  replaced = derive((std::string("{") + scenario + "}").c_str(), cli({}, 2));
  check_constant(replaced, 1, 2);
  REQUIRE(replaced.warnings.size() == 1);
  CHECK(replaced.warnings[0] ==
        "\"cli\" level configuration overrode scenarios configuration entirely");
}

TEST_CASE("k6 config consolidation: test-wide tags (#51, #54, #55)") {
  auto tags = [](const char* json, KeyValues command_line) {
    return resolve_test_tags(parse(json), command_line);
  };
  // #51 (k6 without its merge-run-tags feature) is a documented difference: there the
  // command line's tags replace the script's; lueng merges them as #54 (k6 with
  // merge-run-tags), the command line winning a name both give.
  CHECK(tags(R"({"tags": {"codeTagKey": "codeTagValue"}})", {{"clitagkey", "clitagvalue"}}) ==
        KeyValues{{"codeTagKey", "codeTagValue"}, {"clitagkey", "clitagvalue"}});
  CHECK(tags(R"({"tags": {"shared": "from-script"}})", {{"shared", "from-cli"}}) ==
        KeyValues{{"shared", "from-cli"}});
  CHECK(tags("{}", {}).empty());  // #55
}

TEST_CASE("k6 config consolidation: K6_* shortcuts (#25-#30)") {
  check_shared(derive_levels({.env = {{"K6_VUS", "5"}, {"K6_ITERATIONS", "15"}}}), 5, 15);  // #25
  check_constant(derive_levels({.env = {{"K6_VUS", "10"}, {"K6_DURATION", "20s"}}}), 10,
                 20);  // #26
  // #27: a number alone is milliseconds, as in a script.
  check_constant(derive_levels({.env = {{"K6_VUS", "10"}, {"K6_DURATION", "10000"}}}), 10, 10);
  check_ramping(derive_levels({.env = {{"K6_STAGES", "2m30s:11,1h1m:100"}}}), 1,
                {{150, 11}, {3660, 100}});  // #28
  check_ramping(derive_levels({.env = {{"K6_STAGES", "100s:100,0m30s:0"}, {"K6_VUS", "0"}}}), 0,
                {{100, 100}, {30, 0}});  // #29
  // #30: a stage's duration needs a unit, as with --stage.
  CHECK(derive_levels({.env = {{"K6_STAGES", "1000:100"}}}).error ==
        "K6_STAGES: stage '1000:100': duration '1000': missing unit in duration (use "
        "DURATION:TARGET,DURATION:TARGET,..., e.g. 30s:10,1m:10)");
}

TEST_CASE("k6 config consolidation: the four levels stacked (#38, #41-#43)") {
  // #38: the environment's duration replaces the file's stages, and `--stage ""`
  // (no stage at all) replaces the duration: one iteration on one VU, with k6's warning.
  Shortcuts no_stages;
  no_stages.stages_given = true;
  Derived d =
      derive_levels({.file = R"({"stages": [{"duration": "20s", "target": 20}], "vus": 10})",
                     .env = {{"K6_DURATION", "15s"}}},
                    no_stages);
  check_one_iteration_per_vu(d);
  CHECK(d.warnings == std::vector<std::string>{
                          "options.stages: was explicitly set to an empty value, running the "
                          "script with 1 iteration in 1 VU"});
  // #41: the environment's VUs and iterations over the script's VUs and the file's stages.
  check_shared(derive_levels({.file = R"({"stages": [{"duration": "20s", "target": 10}]})",
                              .script = R"({"vus": 5})",
                              .env = {{"K6_VUS", "15"}, {"K6_ITERATIONS", "17"}}}),
               15, 17);
  // #42: the command line's stages, the environment's VUs.
  check_ramping(derive_levels({.file = R"({"stages": [{"duration": "11s", "target": 11}]})",
                               .script = R"({"vus": 22})",
                               .env = {{"K6_VUS", "33"}}},
                              cli({}, {}, {}, {{44, 44}, {55, 55}})),
                33, {{44, 44}, {55, 55}});
  // #43: the file's scenarios, replaced by the environment's iterations (k6's
  // warning), with the command line's VUs.
  d = derive_levels({.file = R"({"scenarios": {"someKey": {"executor": "constant-vus", "vus": 10,
                       "duration": "60s", "gracefulStop": "10s", "startTime": "70s",
                       "env": {"test": "mest"}, "exec": "someFunc"}}})",
                     .env = {{"K6_ITERATIONS", "25"}}},
                    cli(12));
  check_shared(d, 12, 25);
  CHECK(d.warnings ==
        std::vector<std::string>{"\"env\" level configuration overrode scenarios configuration "
                                 "entirely"});
}

TEST_CASE("k6 config consolidation: test-wide tags from every level (#52, #53)") {
  std::string error;
  ConsolidatedOptions options =
      consolidate({.file = R"({"tags": {"file_only": "f", "shared": "from-file"}})",
                   .script = R"({"tags": {"script_only": "s", "shared": "from-script"}})",
                   .env = {{"K6_TAGS", "env_only:e,shared:from-env"}}},
                  error);
  REQUIRE(error.empty());
  KeyValues tags = resolve_test_tags(options.options, {{"cli_only", "c"}, {"shared", "from-cli"}});
  std::sort(tags.begin(), tags.end());
  // #53 (k6 with merge-run-tags) as in k6. #52, the same without the feature, is a
  // documented difference, as #51: k6 keeps the command line's tags alone.
  CHECK(tags == KeyValues{{"cli_only", "c"},
                          {"env_only", "e"},
                          {"file_only", "f"},
                          {"script_only", "s"},
                          {"shared", "from-cli"}});
}

TEST_CASE("k6 config consolidation: K6_NO_SETUP and K6_NO_TEARDOWN (#74, #75)") {
  std::string error;
  ConsolidatedOptions options =
      consolidate({.env = {{"K6_NO_SETUP", "true"}, {"K6_NO_TEARDOWN", "false"}}}, error);
  REQUIRE(error.empty());
  PhaseOptions phases = read_phase_options(options.options);  // #74
  CHECK(phases.no_setup);
  CHECK_FALSE(phases.no_teardown);
  consolidate({.env = {{"K6_NO_SETUP", "false"}, {"K6_NO_TEARDOWN", "bool"}}}, error);  // #75
  CHECK(error == "K6_NO_TEARDOWN: 'bool' is not true or false");
}

TEST_CASE("k6 config consolidation: an error names the level its option came from") {
  // Not cases of k6's table: where lueng says what k6's "consolidation error" is.
  CHECK(derive_levels({.env = {{"K6_VUS", "10"}, {"K6_ITERATIONS", "6"}}}).error ==
        "options: iterations (6) must not be fewer than vus (10) (iterations set by "
        "K6_ITERATIONS, vus set by K6_VUS)");
  CHECK(derive_levels({.file = R"({"vus": -1, "duration": "1m"})"})
            .error.ends_with(" (vus set by config file 'k6.json')"));
  CHECK(derive_levels({.file = R"({"vus": 2})", .script = R"({"vus": -1})"}).error.find("set by") ==
        std::string::npos);
  CHECK(derive_levels({.env = {{"K6_VUS", "ten"}}}).error == "K6_VUS: 'ten' is not a whole number");
  CHECK(derive_levels({.env = {{"K6_DURATION", "1x"}}})
            .error.starts_with("K6_DURATION: '1x' is not a duration"));
  CHECK(derive_levels({.env = {{"K6_TAGS", "novalue"}}}).error ==
        "K6_TAGS: tag 'novalue' is not NAME:VALUE (use name:value,name:value)");
  // An empty variable is unset, as in k6.
  check_one_iteration_per_vu(derive_levels({.env = {{"K6_VUS", ""}, {"K6_DURATION", ""}}}));
}

TEST_CASE("k6 config consolidation: the dns option and --dns (#64, #67-#71)") {
  using lueng::http::DnsConfig;
  auto flag = [](const char* text, DnsOption* out = nullptr) {
    DnsOption option;
    std::string problem = parse_dns_flag(text, option);
    if (out) *out = option;
    return problem;
  };
  auto config = [](const DnsOption& script, const DnsOption& command_line) {
    return resolve_dns(script, command_line);
  };
  // #64: neither: k6's defaults, ttl 5m, select random, policy preferIPv4.
  DnsConfig defaults = config(read_dns_option(parse("null")), {});
  CHECK(defaults.ttl_ns == 300'000'000'000);
  CHECK(defaults.select == DnsConfig::Select::kRandom);
  CHECK(defaults.policy == DnsConfig::Policy::kPreferIPv4);
  // k6's flag default reads as nothing given.
  DnsOption given;
  CHECK(flag("ttl=5m,select=random,policy=preferIPv4", &given).empty());
  CHECK((!given.ttl_ns && !given.select && !given.policy));
  // #67: --dns ttl=-1. k6 takes it, and its runner refuses it as it starts
  // ("invalid DNS TTL: -1"); lueng refuses it with the command line (a documented
  // difference).
  CHECK(flag("ttl=-1") == "invalid DNS TTL: -1");
  // #68, #70: an unknown field, a field without a value.
  CHECK(flag("ttl=0,blah=nope") == "unknown DNS configuration field: blah");
  CHECK(flag("ttl=5s,select=") == "no value for key select=");
  // #69: --dns ttl=0: no answer is remembered; select and policy k6's defaults.
  DnsOption ttl0;
  REQUIRE(flag("ttl=0", &ttl0).empty());
  DnsConfig zero = config({}, ttl0);
  CHECK(zero.ttl_ns == 0);
  CHECK(zero.select == DnsConfig::Select::kRandom);
  CHECK(zero.policy == DnsConfig::Policy::kPreferIPv4);
  // #71: all three in the options (k6's config file here: the script's).
  DnsConfig all =
      config(read_dns_option(
                 parse(R"({"dns": {"ttl": "0", "select": "roundRobin", "policy": "onlyIPv4"}})")),
             {});
  CHECK(all.ttl_ns == 0);
  CHECK(all.select == DnsConfig::Select::kRoundRobin);
  CHECK(all.policy == DnsConfig::Policy::kOnlyIPv4);
  // As #73 without its K6_DNS: the command line's fields win, the others stay.
  DnsOption ttl5;
  REQUIRE(flag("ttl=5", &ttl5).empty());
  DnsConfig merged =
      config(read_dns_option(parse(R"({"dns": {"ttl": "60", "select": "first"}})")), ttl5);
  CHECK(merged.ttl_ns == 5'000'000);  // a number alone is milliseconds
  CHECK(merged.select == DnsConfig::Select::kFirst);
  CHECK(merged.policy == DnsConfig::Policy::kPreferIPv4);
  // inf: for the whole run.
  DnsOption forever;
  REQUIRE(flag("ttl=inf,policy=any", &forever).empty());
  CHECK(config({}, forever).ttl_ns == DnsConfig::kForever);
  CHECK(config({}, forever).policy == DnsConfig::Policy::kAny);
}

TEST_CASE(
    "k6 config consolidation: K6_DNS between the config file and --dns (#65, #66, #72, #73)") {
  using lueng::http::DnsConfig;
  auto dns = [](const Levels& levels, const char* flag_text = "") {
    std::string error;
    ConsolidatedOptions options = consolidate(levels, error);
    REQUIRE(error.empty());
    DnsOption flag;
    if (*flag_text) REQUIRE(parse_dns_flag(flag_text, flag).empty());
    return resolve_dns(read_dns_option(options.options), flag);
  };
  // #65: ttl 5 (ms, as k6 reads a bare number) and roundRobin; policy k6's default.
  DnsConfig c = dns({.env = {{"K6_DNS", "ttl=5,select=roundRobin"}}});
  CHECK(c.ttl_ns == 5'000'000);
  CHECK(c.select == DnsConfig::Select::kRoundRobin);
  CHECK(c.policy == DnsConfig::Policy::kPreferIPv4);
  // #66: inf, random, preferIPv6.
  c = dns({.env = {{"K6_DNS", "ttl=inf,select=random,policy=preferIPv6"}}});
  CHECK(c.ttl_ns == DnsConfig::kForever);
  CHECK(c.select == DnsConfig::Select::kRandom);
  CHECK(c.policy == DnsConfig::Policy::kPreferIPv6);
  // #72: the variable's dns over the config file's.
  c = dns({.file = R"({"dns": {"ttl": "0"}})", .env = {{"K6_DNS", "ttl=30,policy=any"}}});
  CHECK(c.ttl_ns == 30'000'000);
  CHECK(c.select == DnsConfig::Select::kRandom);
  CHECK(c.policy == DnsConfig::Policy::kAny);
  // #73: the command line's ttl over both, the variable's select and policy.
  c = dns({.file = R"({"dns": {"ttl": "60", "select": "first"}})",
           .env = {{"K6_DNS", "ttl=30,select=random,policy=any"}}},
          "ttl=5");
  CHECK(c.ttl_ns == 5'000'000);
  CHECK(c.select == DnsConfig::Select::kRandom);
  CHECK(c.policy == DnsConfig::Policy::kAny);
  // A bad variable names itself, in --dns's words.
  std::string error;
  consolidate({.env = {{"K6_DNS", "ttl=0,blah=nope"}}}, error);
  CHECK(error == "K6_DNS: unknown DNS configuration field: blah");
}

TEST_CASE("the K6_* variables of the other options k6 reads from the environment") {
  std::string error;
  ConsolidatedOptions options =
      consolidate({.env = {{"K6_RPS", "50"},
                           {"K6_THROW", "true"},
                           {"K6_NO_CONNECTION_REUSE", "true"},
                           {"K6_NO_VU_CONNECTION_REUSE", "false"},
                           {"K6_SUMMARY_TREND_STATS", "avg, p(99.9),count"},
                           {"K6_SUMMARY_TIME_UNIT", "ms"},
                           {"K6_SYSTEM_TAGS", "proto,method"}}},
                  error);
  REQUIRE(error.empty());
  const rapidjson::Document& d = options.options;
  CHECK(d["rps"].GetInt64() == 50);
  CHECK(d["throw"].GetBool());
  CHECK(d["noConnectionReuse"].GetBool());
  CHECK_FALSE(d["noVUConnectionReuse"].GetBool());
  REQUIRE(d["summaryTrendStats"].Size() == 3);
  CHECK(std::string(d["summaryTrendStats"][1].GetString()) == "p(99.9)");
  CHECK(std::string(d["summaryTimeUnit"].GetString()) == "ms");
  REQUIRE(d["systemTags"].Size() == 2);
  consolidate({.env = {{"K6_RPS", "many"}}}, error);
  CHECK(error == "K6_RPS: 'many' is not a whole number");
}

TEST_CASE("the dns option names what is wrong") {
  auto error = [](const char* json) {
    try {
      read_dns_option(parse(json));
    } catch (const ConfigError& e) {
      return std::string(e.what());
    }
    return std::string();
  };
  CHECK(error(R"({"dns": {"ttl": "-1"}})") == "options.dns.ttl: invalid DNS TTL: -1");
  CHECK(error(R"({"dns": {"select": "rr"}})") ==
        "options.dns.select: 'rr' is not one of first, roundRobin, random");
  CHECK(error(R"({"dns": {"policy": "IPv4"}})") ==
        "options.dns.policy: 'IPv4' is not one of preferIPv4, preferIPv6, onlyIPv4, onlyIPv6, "
        "any");
  CHECK(error(R"({"dns": {"polcy": "any"}})") ==
        "options.dns.polcy: unknown DNS configuration field: polcy");
  CHECK(error(R"({"dns": "ttl=5m"})").starts_with("options.dns: must be a table"));
  CHECK(error(R"({"dns": {"ttl": "1m", "select": null}})").empty());
}
