#include "engine/common/duration.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdlib>

#include <fmt/format.h>

namespace lueng {

namespace {

// Go's unit table (time.ParseDuration): micro as "us", U+00B5 and U+03BC.
std::optional<double> unit_seconds(std::string_view unit) {
  if (unit == "h") return 3600.0;
  if (unit == "m") return 60.0;
  if (unit == "s") return 1.0;
  if (unit == "ms") return 1e-3;
  if (unit == "us" || unit == "\u00b5s" || unit == "\u03bcs") return 1e-6;
  if (unit == "ns") return 1e-9;
  return std::nullopt;
}

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

size_t skip_digits(std::string_view text, size_t i) {
  while (i < text.size() && is_digit(text[i])) ++i;
  return i;
}

// `value` (> 0) to `digits` significant digits in plain decimal notation, at most
// nine decimals, without trailing zeros: parse_duration reads no exponent, and
// "{:g}" wrote 1m40ns as "1m4e-08s".
std::string plain_decimal(double value, int digits) {
  int magnitude = static_cast<int>(std::floor(std::log10(value)));
  int decimals = std::clamp(digits - 1 - magnitude, 0, 9);
  std::string text = fmt::format("{:.{}f}", value, decimals);
  if (text.find('.') != std::string::npos) {
    while (text.back() == '0') text.pop_back();
    if (text.back() == '.') text.pop_back();
  }
  return text;
}

std::optional<double> fail(std::string* why, std::string_view reason) {
  if (why) *why = reason;
  return std::nullopt;
}

double to_double(std::string_view digits) {
  std::string copy(digits);
  return std::strtod(copy.c_str(), nullptr);
}

// A decimal number as Go's strconv.ParseFloat reads it: sign, digits with an optional
// fraction, an optional exponent ("500", "+1.5", "1e3", ".5"). Go also reads "inf",
// "nan" and hexadecimal; no duration is infinite or hexadecimal, so those are not.
std::optional<double> plain_number(std::string_view text) {
  size_t i = 0;
  if (i < text.size() && (text[i] == '+' || text[i] == '-')) ++i;
  size_t whole = skip_digits(text, i);
  size_t end = whole;
  if (end < text.size() && text[end] == '.') end = skip_digits(text, end + 1);
  if (whole == i && end <= whole + 1) return std::nullopt;  // no digit at all
  if (end < text.size() && (text[end] == 'e' || text[end] == 'E')) {
    size_t exponent = end + 1;
    if (exponent < text.size() && (text[exponent] == '+' || text[exponent] == '-')) ++exponent;
    size_t exponent_end = skip_digits(text, exponent);
    if (exponent_end == exponent) return std::nullopt;
    end = exponent_end;
  }
  if (end != text.size()) return std::nullopt;
  double value = to_double(text);
  if (!std::isfinite(value)) return std::nullopt;
  return value;
}

// A whole number with an optional sign, as strconv.ParseInt(text, 10, 64).
std::optional<int64_t> whole_number(std::string_view text) {
  size_t i = text.empty() || (text[0] != '+' && text[0] != '-') ? 0 : 1;
  if (i == text.size() || skip_digits(text, i) != text.size()) return std::nullopt;
  int64_t value = 0;
  const char* first = text.data() + (text[0] == '+' ? 1 : 0);
  auto [end, error] = std::from_chars(first, text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

// Go's time.ParseDuration: [-+]?([0-9]*(\.[0-9]*)?unit)+, or "0" alone.
std::optional<double> go_duration(std::string_view text, std::string* why) {
  bool negative = false;
  if (!text.empty() && (text[0] == '-' || text[0] == '+')) {
    negative = text[0] == '-';
    text.remove_prefix(1);
  }
  if (text == "0") return 0.0;
  if (text.empty()) return fail(why, "not a duration");
  double total = 0;
  size_t i = 0;
  while (i < text.size()) {
    size_t start = i;
    i = skip_digits(text, i);
    bool digits_before = i > start;
    bool digits_after = false;
    if (i < text.size() && text[i] == '.') {
      size_t fraction = i + 1;
      i = skip_digits(text, fraction);
      digits_after = i > fraction;
    }
    if (!digits_before && !digits_after) return fail(why, "not a duration");
    double value = to_double(text.substr(start, i - start));
    size_t unit_start = i;
    while (i < text.size() && !is_digit(text[i]) && text[i] != '.') ++i;
    if (unit_start == i) return fail(why, "missing unit in duration");
    std::string_view unit = text.substr(unit_start, i - unit_start);
    auto scale = unit_seconds(unit);
    if (!scale) return fail(why, fmt::format("unknown unit '{}' in duration", unit));
    total += value * *scale;
  }
  // 400 digits read as infinity, which no duration is.
  if (!std::isfinite(total)) return fail(why, "not a duration");
  return negative ? -total : total;
}

}  // namespace

std::optional<double> parse_duration(std::string_view text) {
  // Assume milliseconds when the text is a number alone, as k6 does.
  if (auto milliseconds = plain_number(text)) return *milliseconds / 1000.0;
  size_t day = text.find('d');
  if (day == std::string_view::npos) return go_duration(text, nullptr);
  double rest = 0;
  if (day + 1 < text.size()) {
    auto parsed = go_duration(text.substr(day + 1), nullptr);
    if (!parsed || *parsed < 0) return std::nullopt;  // "2d-2h"
    rest = *parsed;
  }
  auto days = whole_number(text.substr(0, day));
  if (!days) return std::nullopt;
  // "-1d2h" is minus 26 hours: the sign of the days is the sign of the whole.
  if (*days < 0) rest = -rest;
  double total = static_cast<double>(*days) * 86400.0 + rest;
  if (!std::isfinite(total)) return std::nullopt;
  return total;
}

std::optional<double> parse_flag_duration(std::string_view text, std::string* why) {
  return go_duration(text, why);
}

std::string flag_duration_error(std::string_view flag, std::string_view text,
                                std::string_view why) {
  std::string message = fmt::format("invalid {} '{}': {}", flag, text, why);
  if (plain_number(text))
    return message + fmt::format(" (a unit is required: {}ms or {}s)", text, text);
  return message + " (use e.g. 500ms, 30s, 2m30s, 1h)";
}

std::string format_duration(double seconds) {
  if (seconds == 0) return "0s";
  // Neither comes from parse_duration; printed, never converted to an integer.
  if (!std::isfinite(seconds)) return fmt::format("{}s", seconds);
  if (seconds < 0) return "-" + format_duration(-seconds);
  if (seconds < 1.0) {
    double ms = seconds * 1000.0;
    if (ms == std::floor(ms)) return fmt::format("{}ms", static_cast<long long>(ms));
    return plain_decimal(ms, 3) + "ms";
  }
  // Past 2^62 seconds (146 billion years) whole hours are all a double can tell.
  if (seconds >= 0x1p62) return fmt::format("{:.0f}h0m0s", std::floor(seconds / 3600));
  auto whole = static_cast<long long>(seconds);
  double frac = seconds - static_cast<double>(whole);
  long long h = whole / 3600, m = (whole % 3600) / 60, s = whole % 60;
  std::string sec =
      frac > 1e-9 ? plain_decimal(static_cast<double>(s) + frac, 6) + "s" : fmt::format("{}s", s);
  if (h > 0) return fmt::format("{}h{}m{}", h, m, sec);
  if (m > 0) return fmt::format("{}m{}", m, sec);
  return sec;
}

}  // namespace lueng
