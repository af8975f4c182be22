#include <catch2/catch.hpp>

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
  CHECK(*parse_duration("30") == Approx(30));
}

TEST_CASE("malformed durations are rejected") {
  for (const char* bad : {"", "10x", "s", "10s5", "1..2s", "-5s", "10 s", "m10"}) {
    INFO(bad);
    CHECK_FALSE(parse_duration(bad).has_value());
  }
}

TEST_CASE("durations format like k6") {
  CHECK(format_duration(90) == "1m30s");
  CHECK(format_duration(0.5) == "500ms");
  CHECK(format_duration(3600) == "1h0m0s");
  CHECK(format_duration(10) == "10s");
  CHECK(format_duration(0) == "0s");
}
