// The levels of options below and above the script's: the K6_* variables as
// read, and the stacking of a config file, the script and the environment. The
// cases of k6's own table are test_k6_config_consolidation.cpp.
#include <catch2/catch.hpp>

#include <map>
#include <string>

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "engine/exec/env_options.hpp"
#include "engine/exec/option_layers.hpp"

using namespace lueng::exec;

namespace {

std::string read(const std::map<std::string, std::string>& env, EnvOptions& out) {
  return read_env_options(
      [&env](const char* name) -> const char* {
        auto it = env.find(name);
        return it == env.end() ? nullptr : it->second.c_str();
      },
      out);
}

std::string text(const rapidjson::Value& value) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
  value.Accept(writer);
  return buffer.GetString();
}

std::string stacked(const char* file, const char* script, const char* env = "null") {
  return text(consolidate_options({{"file", file, {}, "config file 'c.json'"},
                                   {"script", script, {}, ""},
                                   {"env", env, {}, ""}})
                  .options);
}

}  // namespace

TEST_CASE("K6_* variables: each kind of value as k6 reads it") {
  EnvOptions out;
  REQUIRE(read({{"K6_VUS", "+3"},
                {"K6_SETUP_TIMEOUT", "1m30s"},
                {"K6_NO_SETUP", "true"},
                {"K6_USER_AGENT", "probe/1.0"},
                {"K6_STAGES", "10s:5,0:0"},
                {"K6_TAGS", "team:qa,url:http://a:1/"},
                {"K6_ITERATIONS", ""},
                {"HOME", "/root"}},
               out) == "");
  CHECK(out.json ==
        R"({"vus":3,"stages":[{"duration":"10s","target":5},{"duration":"0","target":0}],)"
        R"("noSetup":true,"setupTimeout":"1m30s","userAgent":"probe/1.0",)"
        R"("tags":{"team":"qa","url":"http://a:1/"}})");
  CHECK(out.sources == std::map<std::string, std::string>{{"vus", "K6_VUS"},
                                                          {"stages", "K6_STAGES"},
                                                          {"noSetup", "K6_NO_SETUP"},
                                                          {"setupTimeout", "K6_SETUP_TIMEOUT"},
                                                          {"userAgent", "K6_USER_AGENT"},
                                                          {"tags", "K6_TAGS"}});
  CHECK(out.warnings.empty());
  REQUIRE(read({}, out) == "");
  CHECK(out.json == "null");
}

TEST_CASE("K6_* variables: what lueng does not read is named in a warning") {
  EnvOptions out;
  REQUIRE(read({{"K6_HOSTS", "a=1.2.3.4"}, {"K6_PAUSED", "true"}, {"K6_LINGER", ""}}, out) == "");
  REQUIRE(out.warnings.size() == 2);  // an empty variable is unset
  CHECK(out.warnings[0].starts_with("K6_HOSTS: lueng reads this option from the script's options"));
  CHECK(out.warnings[1].starts_with("K6_PAUSED: a k6 option lueng does not implement"));
  REQUIRE(read({{"K6_OUT", "json=out.json"}}, out) == "");
  CHECK(out.warnings ==
        std::vector<std::string>{"K6_OUT: lueng takes its outputs from -o/--out only; ignored"});
}

TEST_CASE("K6_* variables: bad values name the variable") {
  EnvOptions out;
  CHECK(read({{"K6_ITERATIONS", "1e3"}}, out) == "K6_ITERATIONS: '1e3' is not a whole number");
  CHECK(read({{"K6_STAGES", "10s"}}, out).starts_with("K6_STAGES: stage '10s' has no target"));
  CHECK(read({{"K6_STAGES", "10s:5,"}}, out).starts_with("K6_STAGES: stage '' has no target"));
  CHECK(read({{"K6_STAGES", "-1s:5"}}, out).starts_with("K6_STAGES: stage '-1s:5': the duration"));
  CHECK(read({{"K6_STAGES", "1s:x"}}, out).starts_with("K6_STAGES: stage '1s:x': the target"));
  CHECK(read({{"K6_TAGS", ":v"}}, out).starts_with("K6_TAGS: tag ':v' is not NAME:VALUE"));
  CHECK(read({{"K6_DISCARD_RESPONSE_BODIES", "1"}}, out) ==
        "K6_DISCARD_RESPONSE_BODIES: '1' is not true or false");
}

TEST_CASE("option levels: a higher level replaces an option, whatever its spelling") {
  CHECK(stacked(R"({"setup_timeout": "1s", "vus": 2})", R"({"setupTimeout": "2s"})") ==
        R"({"vus":2,"setupTimeout":"2s"})");
  // null leaves the option as the levels below set it, as in k6.
  CHECK(stacked(R"({"vus": 2})", R"({"vus": null})") == R"({"vus":2})");
  CHECK(stacked("null", "null") == "null");
  CHECK(stacked("null", "{}") == "null");
}

TEST_CASE("option levels: a level that shapes the load drops the lower levels' shape") {
  CHECK(stacked(R"({"vus": 2, "stages": [], "duration": "1m"})", R"({"iterations": 5})") ==
        R"({"vus":2,"iterations":5})");
  // Within one level both stay, so that the validation refuses them together.
  CHECK(stacked("null", R"({"duration": "1m", "iterations": 5})") ==
        R"({"duration":"1m","iterations":5})");
  ConsolidatedOptions out =
      consolidate_options({{"file", R"({"scenarios": {"s": {}}})", {}, "config file 'c.json'"},
                           {"script", R"({"vus": 3})", {}, ""},
                           {"env", R"({"duration": "5s"})", {{"duration", "K6_DURATION"}}, ""}});
  CHECK(text(out.options) == R"({"vus":3,"duration":"5s"})");
  CHECK(out.warnings ==
        std::vector<std::string>{
            "\"env\" level configuration overrode scenarios configuration entirely"});
  CHECK(out.sources == std::map<std::string, std::string>{{"duration", "K6_DURATION"}});
}

TEST_CASE("option levels: an error says which level set the options it names") {
  std::map<std::string, std::string> sources = {{"vus", "K6_VUS"},
                                                {"duration", "config file 'c.json'"}};
  CHECK(with_option_sources("options.vus: must be a whole number >= 0", sources) ==
        "options.vus: must be a whole number >= 0 (vus set by K6_VUS)");
  CHECK(with_option_sources("options.vusMax: unknown", sources) == "options.vusMax: unknown");
  CHECK(with_option_sources("options: using `duration` and `stages` options simultaneously is "
                            "not allowed",
                            sources)
            .ends_with("(duration set by config file 'c.json')"));
  // A bare word counts in a message on the options as a whole only.
  CHECK(with_option_sources("options.scenarios.s: vus must be set", sources) ==
        "options.scenarios.s: vus must be set");
  CHECK(with_option_sources("options: iterations (1) must not be fewer than vus (2)", sources) ==
        "options: iterations (1) must not be fewer than vus (2) (vus set by K6_VUS)");
}
