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

namespace {

// The latest instant accepted: 9999-12-31T23:59:59Z.
constexpr int64_t kLastUnixSecond = 253'402'300'799;

// Days from 1970-01-01 to a date of the proleptic Gregorian calendar (Howard
// Hinnant's days_from_civil).
int64_t days_from_civil(int64_t y, int64_t m, int64_t d) {
  y -= m <= 2;
  int64_t era = (y >= 0 ? y : y - 399) / 400;
  int64_t yoe = y - era * 400;
  int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

int days_in_month(int64_t y, int64_t m) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  return m == 2 && leap ? 29 : kDays[m - 1];
}

// `count` digits at `text[at]`, or -1.
int64_t digits_at(std::string_view text, size_t at, size_t count) {
  if (at + count > text.size()) return -1;
  int64_t value = 0;
  for (size_t i = at; i < at + count; ++i) {
    if (text[i] < '0' || text[i] > '9') return -1;
    value = value * 10 + (text[i] - '0');
  }
  return value;
}

// ".123456": milliseconds, rounded up; `at` moves past the digits. -1 when the
// dot has none.
int64_t fraction_ms(std::string_view text, size_t& at) {
  size_t begin = ++at;
  int64_t ms = 0;
  bool rest = false;
  while (at < text.size() && text[at] >= '0' && text[at] <= '9') {
    if (at - begin < 3)
      ms = ms * 10 + (text[at] - '0');
    else if (text[at] != '0')
      rest = true;
    ++at;
  }
  if (at == begin) return -1;
  for (size_t n = at - begin; n < 3; ++n) ms *= 10;
  return ms + (rest ? 1 : 0);
}

std::optional<int64_t> parse_unix_seconds(std::string_view text) {
  size_t at = 0;
  while (at < text.size() && text[at] >= '0' && text[at] <= '9') ++at;
  if (at == 0 || at > 12) return std::nullopt;
  int64_t seconds = digits_at(text, 0, at);
  int64_t ms = 0;
  if (at < text.size() && text[at] == '.' && (ms = fraction_ms(text, at)) < 0) return std::nullopt;
  if (at != text.size() || seconds > kLastUnixSecond) return std::nullopt;
  return seconds * 1000 + ms;
}

}  // namespace

std::optional<int64_t> parse_instant_ms(std::string_view text) {
  if (text.size() < 20 || text[4] != '-') return parse_unix_seconds(text);
  // YYYY-MM-DDTHH:MM:SS[.fraction](Z|+HH:MM|-HH:MM)
  int64_t year = digits_at(text, 0, 4), month = digits_at(text, 5, 2), day = digits_at(text, 8, 2),
          hour = digits_at(text, 11, 2), minute = digits_at(text, 14, 2),
          second = digits_at(text, 17, 2);
  char t = text[10];
  if (year < 1970 || month < 1 || month > 12 || day < 1 || text[7] != '-' ||
      (t != 'T' && t != 't' && t != ' ') || hour < 0 || hour > 23 || text[13] != ':' ||
      minute < 0 || minute > 59 || text[16] != ':' || second < 0 || second > 60 ||
      day > days_in_month(year, month))
    return std::nullopt;
  size_t at = 19;
  int64_t ms = 0;
  if (text[at] == '.' && (ms = fraction_ms(text, at)) < 0) return std::nullopt;
  int64_t offset_minutes = 0;
  if (at + 1 == text.size() && (text[at] == 'Z' || text[at] == 'z')) {
    ++at;
  } else if (at + 6 == text.size() && (text[at] == '+' || text[at] == '-') && text[at + 3] == ':') {
    int64_t oh = digits_at(text, at + 1, 2), om = digits_at(text, at + 4, 2);
    if (oh < 0 || oh > 23 || om < 0 || om > 59) return std::nullopt;
    offset_minutes = (text[at] == '+' ? 1 : -1) * (oh * 60 + om);
    at += 6;
  }
  if (at != text.size()) return std::nullopt;
  int64_t seconds = days_from_civil(year, month, day) * 86400 + hour * 3600 + minute * 60 + second -
                    offset_minutes * 60;
  if (seconds < 0 || seconds > kLastUnixSecond) return std::nullopt;
  return seconds * 1000 + ms;
}

}  // namespace lueng
