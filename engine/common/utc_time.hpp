#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace lueng {

inline constexpr size_t kUtcSecondsLength = 19;  // "2026-12-02T07:44:06"

// The UTC date and time of a Unix time in whole seconds, "YYYY-MM-DDTHH:MM:SS",
// into out[0..19) and a NUL after it.
void format_utc_seconds(int64_t unix_seconds, char (&out)[kUtcSecondsLength + 1]);

enum class UtcFormat {
  kIsoSeconds,  // 2026-12-02T07:44:06 (JUnit's timestamp)
  kIsoMillis,   // 2026-12-02T07:44:06.123Z (result files)
  kReadable,    // 2026-12-02 07:44:06 UTC (reports people read)
};

// A Unix time in milliseconds as UTC text.
std::string format_utc(int64_t unix_ms, UtcFormat format);

// A wall-clock instant as `--start-at` takes it, in Unix milliseconds (a
// fraction of a millisecond rounds up, so that "not before" holds):
//   RFC 3339: 2026-12-02T14:00:00Z, 2026-12-02T15:00:00.250+01:00 ('t', 'z' and
//   a space for 'T' too), years 1970 to 9999;
//   Unix seconds: 1796220000 or 1796220000.5.
// nullopt when `text` is neither.
std::optional<int64_t> parse_instant_ms(std::string_view text);

}  // namespace lueng
