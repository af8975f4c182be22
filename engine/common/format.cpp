#include "engine/common/format.hpp"

#include <cmath>

#include <fmt/format.h>

namespace lueng {

namespace {
// Three significant digits, no trailing zeros: 1.23, 12.3, 123.
std::string significant(double value) {
  if (value == 0) return "0";
  double magnitude = std::fabs(value);
  int decimals = magnitude >= 100 ? 0 : magnitude >= 10 ? 1 : 2;
  std::string text = fmt::format("{:.{}f}", value, decimals);
  if (text.find('.') != std::string::npos) {
    while (text.back() == '0') text.pop_back();
    if (text.back() == '.') text.pop_back();
  }
  return text;
}
}  // namespace

std::string format_ms(double ms) {
  if (ms < 0) return "-" + format_ms(-ms);
  if (ms == 0) return "0s";
  if (ms < 1) return significant(ms * 1000) + "µs";
  if (ms < 1000) return significant(ms) + "ms";
  double seconds = ms / 1000;
  if (seconds < 60) return significant(seconds) + "s";
  auto minutes = static_cast<long long>(seconds / 60);
  double rest = seconds - static_cast<double>(minutes) * 60;
  if (minutes < 60) return fmt::format("{}m{}s", minutes, significant(rest));
  return fmt::format("{}h{}m{}s", minutes / 60, minutes % 60, static_cast<long long>(rest));
}

std::string format_bytes(double bytes) {
  const char* units[] = {"B", "kB", "MB", "GB", "TB"};
  int unit = 0;
  while (std::fabs(bytes) >= 1000 && unit < 4) {
    bytes /= 1000;
    ++unit;
  }
  return significant(bytes) + " " + units[unit];
}

std::string format_number(double value) {
  if (value == std::floor(value) && std::fabs(value) < 1e15)
    return fmt::format("{}", static_cast<long long>(value));
  return significant(value);
}

std::string format_percent(double ratio) {
  return fmt::format("{:.2f}%", ratio * 100);
}

}  // namespace lueng
