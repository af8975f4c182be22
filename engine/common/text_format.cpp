#include "engine/common/text_format.hpp"

#include <charconv>
#include <cmath>

#include "engine/common/utc_time.hpp"

namespace lueng {

void append_json_string(std::string& out, std::string_view text) {
  static constexpr char kHex[] = "0123456789abcdef";
  out += '"';
  for (char c : text) {
    auto u = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (u < 0x20) {
      out += "\\u00";
      out += kHex[u >> 4];
      out += kHex[u & 15];
    } else {
      out += c;
    }
  }
  out += '"';
}

void append_number(std::string& out, double value) {
  if (!std::isfinite(value)) value = 0;  // JSON has no NaN or infinity
  char buffer[32];
  auto end = std::to_chars(buffer, buffer + sizeof buffer, value).ptr;
  out.append(buffer, end);
}

void append_csv_field(std::string& out, std::string_view text) {
  if (text.find_first_of(",\"\r\n") == std::string_view::npos) {
    out += text;
    return;
  }
  out += '"';
  for (char c : text) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
}

void append_rfc3339_ns(std::string& out, int64_t unix_ns) {
  int64_t seconds =
      unix_ns >= 0 ? unix_ns / 1'000'000'000 : (unix_ns - 999'999'999) / 1'000'000'000;
  int64_t nanos = unix_ns - seconds * 1'000'000'000;
  // The date changes once a second; a thread-local cache saves formatting it per sample.
  thread_local int64_t cached_second = -1;
  thread_local char cached[kUtcSecondsLength + 1];
  if (seconds != cached_second) {
    format_utc_seconds(seconds, cached);
    cached_second = seconds;
  }
  out += cached;
  char fraction[16];
  fraction[0] = '.';
  for (int i = 9; i >= 1; --i) {
    fraction[i] = static_cast<char>('0' + nanos % 10);
    nanos /= 10;
  }
  out.append(fraction, 10);
  out += 'Z';
}

}  // namespace lueng
