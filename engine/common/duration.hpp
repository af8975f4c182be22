#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace lueng {

// Reads a duration the way k6 reads one in a script (lib/types ParseExtendedDuration):
// Go's units ns, us (also µs, μs), ms, s, m, h, combined ("2m30s", "1.5s"), with a
// leading sign ("+5s", "-1h"), after whole days ("1d2h", "-1d2h" is minus 26 hours).
// A number alone ("500", "1e3") is milliseconds. Returns seconds, negative when the
// text is (callers reject what their option forbids), or nothing when the text is not
// a duration.
std::optional<double> parse_duration(std::string_view text);

// Reads a duration given on the command line, as Go's time.ParseDuration reads k6's
// flags: a unit is required ("0" alone excepted), no days. On failure `why` (when given)
// says what is wrong: "missing unit in duration", "unknown unit 'd' in duration", ...
std::optional<double> parse_flag_duration(std::string_view text, std::string* why = nullptr);

// The message for a flag whose value parse_flag_duration refused: names the flag and
// suggests the fix ("invalid --duration '1000': missing unit in duration (a unit is
// required: 1000ms or 1000s)").
std::string flag_duration_error(std::string_view flag, std::string_view text, std::string_view why);

// Formats seconds the way k6 prints them: "1m30s", "500ms", "2h0m0s", "1m0.00000004s".
// Never with an exponent: parse_duration reads what it prints back (to the digits
// printed: six significant ones of the seconds, three below a second).
std::string format_duration(double seconds);

}  // namespace lueng
