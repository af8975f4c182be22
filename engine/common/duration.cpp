#include "engine/common/duration.hpp"

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
  if (seconds < 1.0) {
    double ms = seconds * 1000.0;
    if (ms == std::floor(ms)) return fmt::format("{}ms", static_cast<long long>(ms));
    return fmt::format("{:.3g}ms", ms);
  }
  auto whole = static_cast<long long>(seconds);
  double frac = seconds - static_cast<double>(whole);
  long long h = whole / 3600, m = (whole % 3600) / 60, s = whole % 60;
  std::string sec =
      frac > 1e-9 ? fmt::format("{:g}s", static_cast<double>(s) + frac) : fmt::format("{}s", s);
  if (h > 0) return fmt::format("{}h{}m{}", h, m, sec);
  if (m > 0) return fmt::format("{}m{}", m, sec);
  return sec;
}

}  // namespace lueng
