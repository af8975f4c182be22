// k6's TestDuration, TestNullDuration and TestGetDurationValue (grafana/k6
// lib/types/types_test.go), case by case: how a duration option's value reads, from
// the JSON lueng makes of the script's options (read_duration) to the text summaries
// print (format_duration). Where lueng differs on purpose the case says why and
// asserts lueng's behaviour. Counted in docs/from-k6.md ("Test tables ported from k6").
#include <catch2/catch.hpp>

#include <optional>
#include <string>

#include <rapidjson/document.h>

#include "engine/common/duration.hpp"
#include "engine/exec/env_options.hpp"
#include "engine/exec/option_values.hpp"

using lueng::format_duration;
using lueng::parse_duration;
using lueng::exec::ConfigError;
using lueng::exec::read_duration;

namespace {

// The option value as the script layer hands it over: JSON.
std::optional<double> read_json(const char* json) {
  rapidjson::Document value;
  value.Parse(json);
  REQUIRE_FALSE(value.HasParseError());
  try {
    return read_duration(value, "options.duration");
  } catch (const ConfigError&) {
    return std::nullopt;
  }
}

}  // namespace

TEST_CASE("k6 TestDuration: 7 cases as in k6") {
  CHECK(format_duration(75) == "1m15s");                          // String
  CHECK(*read_json("75000") == Approx(75));                       // JSON/Unmarshal/Number
  CHECK(*read_json(R"("75s")") == Approx(75));                    // JSON/Unmarshal/Seconds
  CHECK(*read_json(R"("1m15s")") == Approx(75));                  // JSON/Unmarshal/String
  CHECK(*read_json(R"("1d2h1m15s")") == Approx(26 * 3600 + 75));  // JSON/Unmarshal/Extended
  CHECK(format_duration(75) == "1m15s");                          // JSON/Marshal (as text)
  CHECK(*parse_duration("10s") == Approx(10));                    // Text
}

TEST_CASE("k6 TestNullDuration: 7 cases as in k6, 2 documented differences") {
  CHECK(format_duration(75) == "1m15s");          // String
  CHECK(*read_json("75000") == Approx(75));       // JSON/Unmarshal/Number
  CHECK(*read_json(R"("75s")") == Approx(75));    // JSON/Unmarshal/Seconds
  CHECK(*read_json(R"("1m15s")") == Approx(75));  // JSON/Unmarshal/String
  CHECK(format_duration(75) == "1m15s");          // JSON/Marshal/Valid
  CHECK(*parse_duration("10s") == Approx(10));    // Text
  // Difference (JSON/Unmarshal/Null, JSON/Marshal/null): Lua has no null duration;
  // a nil option is absent, which leaves it unset as k6's null does, and a null that
  // reaches the options (json.null) is a mistake the option names.
  CHECK_FALSE(read_json("null"));
  // Text/Empty: k6 reads empty text, an empty K6_* variable, as unset; so does lueng
  // (a script's "" is no duration: CHECK_FALSE(parse_duration("")) is the script's case).
  lueng::exec::EnvOptions env;
  CHECK(lueng::exec::read_env_options(
            [](const char* name) { return std::string(name) == "K6_DURATION" ? "" : nullptr; },
            env) == "");
  CHECK(env.json == "null");
  CHECK_FALSE(parse_duration(""));
}

TEST_CASE("k6 TestGetDurationValue: 26 cases as in k6, 1 documented difference") {
  struct Case {
    const char* json;  // k6's Go value as a Lua value becomes JSON
    std::optional<double> seconds;
  };
  // Go's integer and float types are all Lua numbers; each k6 case keeps its value.
  const Case cases[] = {
      {"false", std::nullopt},                // false
      {R"({"wall": 1})", std::nullopt},       // time.Now(): a table, not a duration
      {R"("invalid")", std::nullopt},         // "invalid"
      {"9223372036854775808", std::nullopt},  // uint64(math.MaxInt64) + 1
      {"100", 0.1},                           // int8(100)
      {"100", 0.1},                           // uint8(100)
      {"1000", 1},                            // uint(1000)
      {"1000", 1},                            // int(1000)
      {"1000", 1},                            // uint16(1000)
      {"1000", 1},                            // int16(1000)
      {"1000", 1},                            // uint32(1000)
      {"1000", 1},                            // int32(1000)
      {"1000", 1},                            // uint(1000)
      {"1000", 1},                            // int(1000)
      {"1000", 1},                            // uint64(1000)
      {"1000", 1},                            // int64(1000)
      {"1000", 1},                            // 1000
      {"1000", 1},                            // 1000
      {"1000.0", 1},                          // 1000.0
      {"1000.0", 1},                          // float32(1000.0)
      {"1000.001", 1.000001},                 // float64(1000.001)
      {R"("1000")", 1},                       // "1000"
      {R"("1000.001")", 1.000001},            // "1000.001"
      {R"("1s")", 1},                         // "1s"
      {R"("1.5s")", 1.5},                     // "1.5s"
      {R"("1d3h1s")", 27 * 3600 + 1},         // "1d3h1s"
  };
  CHECK(std::size(cases) == 26);
  for (const Case& c : cases) {
    INFO(c.json);
    auto seconds = read_json(c.json);
    REQUIRE(seconds.has_value() == c.seconds.has_value());
    if (c.seconds) CHECK(*seconds == Approx(*c.seconds).epsilon(1e-12));
  }
  // Difference (time.Second): Lua has no duration type; a number is milliseconds,
  // so the nearest value, the string "1s", is one second.
  CHECK(*read_json(R"("1s")") == Approx(1));
}

TEST_CASE("duration options refuse what k6's time.Duration cannot hold, and negatives") {
  CHECK(*read_json("9223372036854.775") == Approx(9223372036.854775));
  CHECK_FALSE(read_json(R"("2562047h47m17s")"));
  CHECK_FALSE(read_json(R"("-1s")"));
  CHECK_FALSE(read_json(R"("-1d2h")"));
  CHECK_FALSE(read_json("-5"));
  CHECK_FALSE(read_json("true"));
}
