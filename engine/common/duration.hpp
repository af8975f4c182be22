#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace lueng {

// Parses k6-style durations: "500ms", "10s", "2m30s", "1h", "1.5s", "250us".
// A bare number is seconds. Returns seconds, or nothing when the text is not a duration.
std::optional<double> parse_duration(std::string_view text);

// Formats seconds the way k6 prints them: "1m30s", "500ms", "2h0m0s", "1m0.00000004s".
// Never with an exponent: parse_duration reads what it prints back (to the digits
// printed: six significant ones of the seconds, three below a second).
std::string format_duration(double seconds);

}  // namespace lueng
