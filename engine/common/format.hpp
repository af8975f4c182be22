#pragma once

#include <string>

namespace lueng {

// Values as the summary prints them, k6's way.
std::string format_ms(double ms);          // 850µs, 1.23ms, 1.5s, 2m3s
std::string format_bytes(double bytes);    // 233 kB, 1.2 MB (SI units)
std::string format_number(double value);   // 1000, 99.9, 0.5
std::string format_percent(double ratio);  // 99.50%

}  // namespace lueng
