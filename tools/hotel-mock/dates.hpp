#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace lueng::hotel_mock {

// Stays are whole nights, so dates are days since 1970-01-01 (no time zone games).
using Day = int64_t;

// Strict YYYY-MM-DD with a real calendar date ("2025-02-30" is rejected).
std::optional<Day> parse_date(std::string_view text);
std::string format_date(Day day);

// Seconds since the Unix epoch as ISO-8601 UTC, e.g. "2025-12-20T14:03:00Z".
std::string format_timestamp(int64_t unix_seconds);

}  // namespace lueng::hotel_mock
