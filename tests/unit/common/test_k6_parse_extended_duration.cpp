// k6's TestParseExtendedDuration (grafana/k6 lib/types/types_test.go), case by case:
// a script's duration strings read as k6 reads them. Go's time.Duration counts
// nanoseconds in an int64; lueng counts seconds in a double, so the results are
// compared to twelve significant digits (the extremes are k6's int64 limits).
// Counted in docs/from-k6.md ("Test tables ported from k6").
#include <catch2/catch.hpp>

#include <optional>

#include "engine/common/duration.hpp"

using lueng::parse_duration;

namespace {

constexpr double kHour = 3600;
constexpr double kMinute = 60;
// math.MaxInt64 nanoseconds, in seconds.
constexpr double kLongest = 9223372036.854775807;

struct Case {
  const char* text;
  std::optional<double> seconds;  // k6's result; nothing where k6 returns an error
};

const Case kCases[] = {
    {"", std::nullopt},
    {"d", std::nullopt},
    {"d2h", std::nullopt},
    {"d2h", std::nullopt},
    {"2.1d", std::nullopt},
    {"2d-2h", std::nullopt},
    {"-2d-2h", std::nullopt},
    {"2+d", std::nullopt},
    {"2da", std::nullopt},
    {"2-d", std::nullopt},
    {"1.12s", 1.12},
    {"0d1.12s", 1.12},
    {"10d1.12s", 240 * kHour + 1.12},
    {"1s", 1},
    {"1d", 24 * kHour},
    {"20d", 480 * kHour},
    {"1d23h", 47 * kHour},
    {"1d24h15m", 48 * kHour + 15 * kMinute},
    {"1d25h80m", 50 * kHour + 20 * kMinute},
    {"0d25h120m80s", 27 * kHour + 80},
    {"-1d2h", -26 * kHour},
    {"-1d24h", -48 * kHour},
    {"2d1ns", 48 * kHour + 1e-9},
    {"-2562047h47m16.854775807s", -kLongest},
    {"-106751d23h47m16.854775807s", -kLongest},
    {"2562047h47m16.854775807s", kLongest},
    {"106751d23h47m16.854775807s", kLongest},
};

}  // namespace

TEST_CASE("k6 TestParseExtendedDuration: every case as in k6") {
  CHECK(std::size(kCases) == 27);
  for (const Case& c : kCases) {
    INFO(c.text);
    auto seconds = parse_duration(c.text);
    REQUIRE(seconds.has_value() == c.seconds.has_value());
    if (c.seconds) CHECK(*seconds == Approx(*c.seconds).epsilon(1e-12).margin(1e-15));
  }
  // The nanosecond of "2d1ns" is below the tolerance above: checked on its own.
  CHECK(*parse_duration("2d1ns") - 48 * kHour == Approx(1e-9).epsilon(0.05));
}
