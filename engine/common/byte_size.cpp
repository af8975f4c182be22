#include "engine/common/byte_size.hpp"

#include <cmath>
#include <cstdlib>
#include <string>

namespace lueng {

namespace {

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    char x = a[i] >= 'A' && a[i] <= 'Z' ? static_cast<char>(a[i] - 'A' + 'a') : a[i];
    if (x != b[i]) return false;
  }
  return true;
}

std::optional<double> unit_factor(std::string_view unit) {
  struct Unit {
    std::string_view name;
    double factor;
  };
  static constexpr Unit kUnits[] = {
      {"", 1},     {"b", 1},        {"kb", 1e3},      {"mb", 1e6},
      {"gb", 1e9}, {"kib", 1024.0}, {"mib", 1048576}, {"gib", 1073741824.0},
  };
  for (const Unit& known : kUnits)
    if (iequals(unit, known.name)) return known.factor;
  return std::nullopt;
}

}  // namespace

std::optional<uint64_t> parse_byte_size(std::string_view text) {
  size_t number_end = 0;
  while (number_end < text.size() &&
         ((text[number_end] >= '0' && text[number_end] <= '9') || text[number_end] == '.'))
    ++number_end;
  if (number_end == 0) return std::nullopt;
  // std::from_chars for double is not in every standard library we build with.
  std::string number(text.substr(0, number_end));
  char* parsed_end = nullptr;
  double value = std::strtod(number.c_str(), &parsed_end);
  if (parsed_end != number.c_str() + number.size()) return std::nullopt;
  std::string_view unit = text.substr(number_end);
  if (!unit.empty() && unit.front() == ' ') unit.remove_prefix(1);
  auto factor = unit_factor(unit);
  if (!factor) return std::nullopt;
  double bytes = std::round(value * *factor);
  if (!std::isfinite(bytes) || bytes >= 9.2e18) return std::nullopt;
  return static_cast<uint64_t>(bytes);
}

}  // namespace lueng
