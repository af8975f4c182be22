// UTC times as the result file and the reports write them, including the
// instants a hand-edited file may hold far outside any real run.
#include <catch2/catch.hpp>

#include <cstdint>
#include <limits>

#include "engine/common/utc_time.hpp"

using namespace lueng;

TEST_CASE("UTC times are written with milliseconds, also before 1970") {
  CHECK(format_utc(1764661446123, UtcFormat::kIsoMillis) == "2025-12-02T07:44:06.123Z");
  CHECK(format_utc(-1, UtcFormat::kIsoMillis) == "1969-12-31T23:59:59.999Z");
  CHECK(format_utc(1764661446123, UtcFormat::kReadable) == "2025-12-02 07:44:06 UTC");
}

TEST_CASE("instants beyond the years 0 to 9999 are shown at the nearest end") {
  CHECK(format_utc(std::numeric_limits<int64_t>::max(), UtcFormat::kIsoSeconds) ==
        "9999-12-31T23:59:59");
  std::string earliest = format_utc(std::numeric_limits<int64_t>::min(), UtcFormat::kIsoMillis);
  CHECK(earliest.ends_with("-01-01T00:00:00.192Z"));
  CHECK(format_utc(253402300800000, UtcFormat::kIsoSeconds) == "9999-12-31T23:59:59");
}
