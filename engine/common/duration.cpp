#include "engine/common/duration.hpp"

#include <algorithm>
#include <cmath>
#include <cstdlib>

#include <fmt/format.h>

namespace lueng {

namespace {

std::optional<double> unit_seconds(std::string_view unit) {
  if (unit == "h") return 3600.0;
  if (unit == "m") return 60.0;
  if (unit == "s") return 1.0;
  if (unit == "ms") return 1e-3;
  if (unit == "us" || unit == "µs") return 1e-6;
  if (unit == "ns") return 1e-9;
  return std::nullopt;
}

bool is_digit(char c) {
  return c >= '0' && c <= '9';
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

}  // namespace

std::optional<double> parse_duration(std::string_view text) {
  if (text.empty()) return std::nullopt;
  double total = 0;
  size_t i = 0;
  bool bare_number = true;
  while (i < text.size()) {
    size_t start = i;
    while (i < text.size() && (is_digit(text[i]) || text[i] == '.')) ++i;
    if (i == start) return std::nullopt;
    std::string number(text.substr(start, i - start));
    char* end = nullptr;
    double value = std::strtod(number.c_str(), &end);
    if (end != number.c_str() + number.size()) return std::nullopt;
    size_t unit_start = i;
    while (i < text.size() && !is_digit(text[i]) && text[i] != '.') ++i;
    if (unit_start == i) {
      // A number without a unit is only allowed alone ("30" = 30 seconds).
      if (unit_start != text.size() || start != 0) return std::nullopt;
      // 400 digits read as infinity, which no duration is.
      if (!std::isfinite(value)) return std::nullopt;
      return value;
    }
    auto scale = unit_seconds(text.substr(unit_start, i - unit_start));
    if (!scale) return std::nullopt;
    total += value * *scale;
    bare_number = false;
  }
  if (bare_number || !std::isfinite(total)) return std::nullopt;
  return total;
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
