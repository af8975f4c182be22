#include <catch2/catch.hpp>

#include <cstdint>
#include <limits>
#include <string>

#include "engine/common/utc_time.hpp"

using lueng::parse_instant_ms;

TEST_CASE("instants of --start-at: RFC 3339 and Unix seconds") {
  CHECK(parse_instant_ms("1970-01-01T00:00:00Z") == 0);
  CHECK(parse_instant_ms("2026-12-02T14:00:00Z") == 1'796'220'000'000);
  CHECK(parse_instant_ms("2026-12-02t14:00:00z") == 1'796'220'000'000);
  CHECK(parse_instant_ms("2026-12-02 14:00:00Z") == 1'796'220'000'000);
  CHECK(parse_instant_ms("2026-12-02T15:30:00+01:30") == 1'796'220'000'000);
  CHECK(parse_instant_ms("2026-12-02T09:00:00-05:00") == 1'796'220'000'000);
  CHECK(parse_instant_ms("2026-12-02T14:00:00.25Z") == 1'796'220'000'250);
  CHECK(parse_instant_ms("2024-02-29T00:00:00Z") == 1'709'164'800'000);  // a leap day
  CHECK(parse_instant_ms("1796220000") == 1'796'220'000'000);
  CHECK(parse_instant_ms("1796220000.5") == 1'796'220'000'500);
  // A fraction of a millisecond rounds up: the load starts not before the instant.
  CHECK(parse_instant_ms("1796220000.0001") == 1'796'220'000'001);
  CHECK(parse_instant_ms("2026-12-02T14:00:00.1234Z") == 1'796'220'000'124);
  for (const char* bad :
       {"", "now", "-5", "1.", ".5", "1796220000.5s", "2026-12-02T14:00:00", "2026-13-02T14:00:00Z",
        "2026-02-29T14:00:00Z", "2026-12-02T24:00:00Z", "2026-12-02T14:00:00+1:00",
        "2026-12-02T14:00:00+01:00x", "1969-12-31T23:59:59Z", "10000-01-01T00:00:00Z",
        "2026-12-02T14:00:00.Z", "99999999999999999999"}) {
    INFO(bad);
    CHECK_FALSE(parse_instant_ms(bad).has_value());
  }
  // What format_utc writes reads back as the same instant.
  CHECK(parse_instant_ms(lueng::format_utc(1'796'220'000'123, lueng::UtcFormat::kIsoMillis)) ==
        1'796'220'000'123);
}

TEST_CASE("UTC times are written with milliseconds, also before 1970") {
  CHECK(lueng::format_utc(1764661446123, lueng::UtcFormat::kIsoMillis) ==
        "2025-12-02T07:44:06.123Z");
  CHECK(lueng::format_utc(-1, lueng::UtcFormat::kIsoMillis) == "1969-12-31T23:59:59.999Z");
  CHECK(lueng::format_utc(1764661446123, lueng::UtcFormat::kReadable) == "2025-12-02 07:44:06 UTC");
}

TEST_CASE("instants beyond the years 0 to 9999 are shown at the nearest end") {
  CHECK(lueng::format_utc(std::numeric_limits<int64_t>::max(), lueng::UtcFormat::kIsoSeconds) ==
        "9999-12-31T23:59:59");
  std::string earliest =
      lueng::format_utc(std::numeric_limits<int64_t>::min(), lueng::UtcFormat::kIsoMillis);
  CHECK(earliest.ends_with("-01-01T00:00:00.192Z"));
  CHECK(lueng::format_utc(253402300800000, lueng::UtcFormat::kIsoSeconds) == "9999-12-31T23:59:59");
}
