#include "engine/common/utc_time.hpp"

#include <algorithm>
#include <cstdio>
#include <ctime>

namespace lueng {

namespace {

// Years 0 to 9999, the ones the format has four digits for: a time read from a
// hand-edited file beyond them is shown at the nearest end rather than overflow
// the text (strftime leaves it unterminated when it does not fit).
constexpr int64_t kFirstSecond = -62167219200;  // 0000-01-01T00:00:00
constexpr int64_t kLastSecond = 253402300799;   // 9999-12-31T23:59:59

}  // namespace

void format_utc_seconds(int64_t unix_seconds, char (&out)[kUtcSecondsLength + 1]) {
  std::time_t seconds =
      static_cast<std::time_t>(std::clamp(unix_seconds, kFirstSecond, kLastSecond));
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  if (std::strftime(out, sizeof out, "%Y-%m-%dT%H:%M:%S", &utc) == 0)
    std::snprintf(out, sizeof out, "%s", "0000-01-01T00:00:00");
}

std::string format_utc(int64_t unix_ms, UtcFormat format) {
  // Floor division: a time before 1970 keeps a millisecond part from 0 to 999
  // (written so that no step overflows, whatever the file said).
  int64_t seconds = unix_ms / 1000;
  int millis = static_cast<int>(unix_ms % 1000);
  if (millis < 0) {
    millis += 1000;
    --seconds;
  }
  char date[kUtcSecondsLength + 1];
  format_utc_seconds(seconds, date);
  std::string text(date);
  switch (format) {
    case UtcFormat::kIsoSeconds:
      break;
    case UtcFormat::kIsoMillis: {
      char fraction[8];
      std::snprintf(fraction, sizeof fraction, ".%03dZ", millis);
      text += fraction;
      break;
    }
    case UtcFormat::kReadable:
      text[10] = ' ';
      text += " UTC";
      break;
  }
  return text;
}

}  // namespace lueng
