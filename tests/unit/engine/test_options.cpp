#include <catch2/catch.hpp>

#include <rapidjson/document.h>

#include "engine/exec/executor.hpp"
#include "engine/exec/options.hpp"

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
}  // namespace

TEST_CASE("shortcuts derive one default scenario the way k6 does") {
  Shortcuts only_vus;
  only_vus.vus = 3;
  auto scenarios = resolve_scenarios(parse("null"), only_vus);
  REQUIRE(scenarios.size() == 1);
  CHECK(scenarios[0].name == "default");
  CHECK(scenarios[0].executor == "per-vu-iterations");
  CHECK(scenarios[0].vus == 3);
  CHECK(scenarios[0].iterations == 1);

  Shortcuts duration;
  duration.vus = 20;
  duration.duration = 30;
  scenarios = resolve_scenarios(parse("null"), duration);
  CHECK(scenarios[0].executor == "constant-vus");
  CHECK(scenarios[0].duration == 30);

  Shortcuts iterations;
  iterations.iterations = 1000;
  scenarios = resolve_scenarios(parse("null"), iterations);
  CHECK(scenarios[0].executor == "shared-iterations");
  CHECK(scenarios[0].iterations == 1000);
  CHECK(scenarios[0].vus == 1);
}

TEST_CASE("command-line shortcuts replace the script's scenarios and options") {
  const char* options =
      R"({"vus": 7, "duration": "1m", "scenarios": {"a": {"executor": "constant-vus", "vus": 2, "duration": "5s"}}})";
  Shortcuts cli;
  cli.iterations = 10;
  auto scenarios = resolve_scenarios(parse(options), cli);
  REQUIRE(scenarios.size() == 1);
  CHECK(scenarios[0].executor == "shared-iterations");
  CHECK(scenarios[0].vus == 7);  // the script's vus still apply when the flag is absent
  CHECK(resolve_scenarios(parse(options), {})[0].name == "a");
}

TEST_CASE("scenarios accept camelCase and snake_case options") {
  auto scenarios = resolve_scenarios(
      parse(R"({"scenarios": {"browse": {"executor": "per-vu-iterations", "vus": 2, "iterations": 5,
               "max_duration": "30s", "startTime": "2s", "graceful_stop": 1500, "exec": "browse",
               "tags": {"kind": "read"}, "env": {"MODE": "fast", "N": 3}}}})"),
      {});
  REQUIRE(scenarios.size() == 1);
  const ScenarioConfig& s = scenarios[0];
  CHECK(s.max_duration == 30);
  CHECK(s.start_time == 2);
  CHECK(s.graceful_stop == Approx(1.5));  // numbers are milliseconds, as in k6
  CHECK(s.exec == "browse");
  CHECK(s.tags == KeyValues{{"kind", "read"}});
  CHECK(s.env == KeyValues{{"MODE", "fast"}, {"N", "3"}});
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
  CHECK(error_of(R"({"scenarios": {}})").find("at least one scenario") != std::string::npos);
  CHECK(error_of(
            R"({"scenarios": {"s": {"executor": "constant-vus", "duration": "1s", "typo": 1}}})") ==
        "options.scenarios.s.typo: unknown scenario option");
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
