#include "engine/output/csv_config.hpp"

#include <array>
#include <charconv>
#include <cstdio>
#include <utility>

#include "engine/common/duration.hpp"
#include "engine/common/text.hpp"
#include "engine/common/utc_time.hpp"

namespace lueng::output {

namespace {

constexpr std::array<std::pair<std::string_view, CsvTimeFormat>, 6> kTimeFormats = {{
    {"unix", CsvTimeFormat::kUnix},
    {"unix_milli", CsvTimeFormat::kUnixMilli},
    {"unix_micro", CsvTimeFormat::kUnixMicro},
    {"unix_nano", CsvTimeFormat::kUnixNano},
    {"rfc3339", CsvTimeFormat::kRfc3339},
    {"rfc3339_nano", CsvTimeFormat::kRfc3339Nano},
}};

std::string apply(std::string_view key, std::string_view value, std::string_view name,
                  CsvConfig* config) {
  if (key == "fileName") {
    config->file_name = std::string(value);
  } else if (key == "saveInterval") {
    std::string why = "must be positive";
    auto seconds = parse_flag_duration(value, &why);
    if (!seconds || *seconds <= 0) return flag_duration_error(name, value, why);
    config->save_interval_seconds = *seconds;
  } else if (key == "timeFormat") {
    for (const auto& [text, format] : kTimeFormats)
      if (value == text) {
        config->time_format = format;
        return "";
      }
    return std::string(name) + ": '" + std::string(value) +
           "' is not a time format (unix, unix_milli, unix_micro, unix_nano, rfc3339, "
           "rfc3339_nano)";
  } else {
    return "'" + std::string(key) +
           "' is not an option of csv (fileName, saveInterval, timeFormat)";
  }
  return "";
}

// floor division: a time before 1970 still splits into a second and its fraction.
std::pair<int64_t, int64_t> seconds_and_nanos(int64_t unix_ns) {
  int64_t seconds = unix_ns / 1'000'000'000, nanos = unix_ns % 1'000'000'000;
  if (nanos < 0) {
    --seconds;
    nanos += 1'000'000'000;
  }
  return {seconds, nanos};
}

void append_integer(std::string& out, int64_t value) {
  char digits[24];
  auto end = std::to_chars(digits, digits + sizeof digits, value).ptr;
  out.append(digits, end);
}

}  // namespace

std::string read_csv_config(std::string_view argument, const Environment& env, CsvConfig* config) {
  constexpr std::array<std::pair<std::string_view, std::string_view>, 3> kVariables = {{
      {"K6_CSV_FILENAME", "fileName"},
      {"K6_CSV_SAVE_INTERVAL", "saveInterval"},
      {"K6_CSV_TIME_FORMAT", "timeFormat"},
  }};
  for (const auto& [variable, key] : kVariables)
    for (const auto& [name, value] : env)
      if (name == variable)
        if (std::string problem = apply(key, value, name, config); !problem.empty()) return problem;
  if (argument.find('=') == std::string_view::npos) {
    if (!argument.empty()) config->file_name = std::string(argument);
    return "";
  }
  for (std::string_view item : split(argument, ',')) {
    size_t eq = item.find('=');
    if (eq == std::string_view::npos || eq == 0)
      return "'" + std::string(item) + "' is not KEY=VALUE (fileName, saveInterval, timeFormat)";
    std::string_view key = item.substr(0, eq);
    if (std::string problem = apply(key, item.substr(eq + 1), key, config); !problem.empty())
      return problem;
  }
  return "";
}

void append_csv_time(std::string& out, int64_t unix_ns, CsvTimeFormat format) {
  auto [seconds, nanos] = seconds_and_nanos(unix_ns);
  switch (format) {
    case CsvTimeFormat::kUnix:
      return append_integer(out, seconds);
    case CsvTimeFormat::kUnixMilli:
      return append_integer(out, seconds * 1000 + nanos / 1'000'000);
    case CsvTimeFormat::kUnixMicro:
      return append_integer(out, seconds * 1'000'000 + nanos / 1000);
    case CsvTimeFormat::kUnixNano:
      return append_integer(out, unix_ns);
    case CsvTimeFormat::kRfc3339:
    case CsvTimeFormat::kRfc3339Nano: {
      char text[kUtcSecondsLength + 1];
      format_utc_seconds(seconds, text);
      out.append(text, kUtcSecondsLength);
      if (format == CsvTimeFormat::kRfc3339Nano && nanos != 0) {
        // Go's RFC3339Nano: up to nine digits, trailing zeros cut.
        char fraction[11];
        std::snprintf(fraction, sizeof fraction, ".%09lld", static_cast<long long>(nanos));
        std::string_view digits(fraction);
        while (digits.back() == '0') digits.remove_suffix(1);
        out.append(digits);
      }
      out += 'Z';
      return;
    }
  }
}

}  // namespace lueng::output
