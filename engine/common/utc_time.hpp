#pragma once

#include <cstdint>
#include <string>

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

}  // namespace lueng
