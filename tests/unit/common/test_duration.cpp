#include <catch2/catch.hpp>

#include <limits>
#include <string>

#include "engine/common/duration.hpp"

using lueng::format_duration;
using lueng::parse_duration;

TEST_CASE("durations in k6 syntax parse to seconds") {
  CHECK(*parse_duration("10s") == Approx(10));
  CHECK(*parse_duration("500ms") == Approx(0.5));
  CHECK(*parse_duration("2m30s") == Approx(150));
  CHECK(*parse_duration("1h") == Approx(3600));
  CHECK(*parse_duration("1h2m3s") == Approx(3723));
  CHECK(*parse_duration("1.5s") == Approx(1.5));
  CHECK(*parse_duration("250us") == Approx(250e-6));
  CHECK(*parse_duration("250\u00b5s") == Approx(250e-6));  // micro sign
  CHECK(*parse_duration("250\u03bcs") == Approx(250e-6));  // Greek mu, as Go accepts
  CHECK(*parse_duration("1d2h") == Approx(26 * 3600));
  CHECK(*parse_duration("+5s") == Approx(5));
  CHECK(*parse_duration("-5s") == Approx(-5));  // the option says whether it may be
  CHECK(*parse_duration(".5s") == Approx(0.5));
}

TEST_CASE("a number alone is milliseconds, as k6 reads it") {
  CHECK(*parse_duration("30") == Approx(0.030));
  CHECK(*parse_duration("500") == Approx(0.5));
  CHECK(*parse_duration("1e3") == Approx(1));
  CHECK(*parse_duration("+1.5") == Approx(0.0015));
  CHECK(*parse_duration("-2000") == Approx(-2));
  CHECK(*parse_duration("0") == 0);
  // Go also reads these as numbers; no duration is infinite, NaN or hexadecimal.
  for (const char* bad : {"inf", "NaN", "0x10", "1e", "e3", "1_000"}) {
    INFO(bad);
    CHECK_FALSE(parse_duration(bad).has_value());
  }
}

TEST_CASE("flags take Go's durations: a unit is required, no days") {
  std::string why;
  CHECK(*lueng::parse_flag_duration("1m30s") == Approx(90));
  CHECK(*lueng::parse_flag_duration("0") == 0);
  CHECK(*lueng::parse_flag_duration("+5s") == Approx(5));
  CHECK(*lueng::parse_flag_duration("-5s") == Approx(-5));
  CHECK_FALSE(lueng::parse_flag_duration("1000", &why));
  CHECK(why == "missing unit in duration");
  CHECK_FALSE(lueng::parse_flag_duration("1d", &why));
  CHECK(why == "unknown unit 'd' in duration");
  CHECK_FALSE(lueng::parse_flag_duration("", &why));
  CHECK(why == "not a duration");
  CHECK(lueng::flag_duration_error("--duration", "1000", "missing unit in duration") ==
        "invalid --duration '1000': missing unit in duration (a unit is required: 1000ms or "
        "1000s)");
  CHECK(lueng::flag_duration_error("-d", "x", "not a duration") ==
        "invalid -d 'x': not a duration (use e.g. 500ms, 30s, 2m30s, 1h)");
}

TEST_CASE("malformed durations are rejected") {
  for (const char* bad : {"", "10x", "s", "10s5", "1..2s", "--5s", "10 s", "m10", "1e3s", "+"}) {
    INFO(bad);
    CHECK_FALSE(parse_duration(bad).has_value());
  }
  // Numbers beyond a double are infinite, not durations, with a unit or without
  // (the bare number was let through: tests/fuzz/fuzz_duration).
  CHECK_FALSE(parse_duration(std::string(400, '9')).has_value());
  CHECK_FALSE(parse_duration(std::string(400, '9') + "h").has_value());
}

TEST_CASE("durations format like k6") {
  CHECK(format_duration(90) == "1m30s");
  CHECK(format_duration(0.5) == "500ms");
  CHECK(format_duration(3600) == "1h0m0s");
  CHECK(format_duration(10) == "10s");
  CHECK(format_duration(0) == "0s");
}

TEST_CASE("formatted durations never use an exponent, so they parse back") {
  // "{:g}" printed 1m40ns as "1m4e-08s" (found by tests/fuzz/fuzz_duration).
  CHECK(format_duration(*parse_duration("1m40ns")) == "1m0.00000004s");
  CHECK(format_duration(90.5) == "1m30.5s");
  CHECK(format_duration(0.0123456) == "12.3ms");
  CHECK(format_duration(0.9999) == "1000ms");  // three digits of 999.9 ms
  CHECK(format_duration(4e-11) == "0.00000004ms");
  CHECK(format_duration(1e-15) == "0ms");
  for (const char* text : {"1m40ns", "999.9ms", "3us", "1h0m0.000001s", "2562047788015215h"}) {
    INFO(text);
    double seconds = *parse_duration(text);
    auto again = parse_duration(format_duration(seconds));
    REQUIRE(again);
    CHECK(*again == Approx(seconds).epsilon(1e-3));
  }
  // Past any integer's range, and values no duration parses to: text, not undefined.
  CHECK(format_duration(1e300).ends_with("h0m0s"));
  CHECK(format_duration(-1.5) == "-1.5s");
  CHECK(format_duration(std::numeric_limits<double>::infinity()) == "infs");
}
