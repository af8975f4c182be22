#include "engine/common/utc_time.hpp"

#include <cstdio>
#include <ctime>

namespace lueng {

void format_utc_seconds(int64_t unix_seconds, char (&out)[kUtcSecondsLength + 1]) {
  std::time_t seconds = static_cast<std::time_t>(unix_seconds);
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  std::strftime(out, sizeof out, "%Y-%m-%dT%H:%M:%S", &utc);
}

std::string format_utc(int64_t unix_ms, UtcFormat format) {
  // Floor division: a time before 1970 keeps a millisecond part from 0 to 999.
  int64_t seconds = unix_ms >= 0 ? unix_ms / 1000 : (unix_ms - 999) / 1000;
  int millis = static_cast<int>(unix_ms - seconds * 1000);
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
