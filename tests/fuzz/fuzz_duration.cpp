// Durations and sizes as options, flags and SLO files write them
// (engine/common): "2m30s", "1.5s", "250us", "1d2h", "-5s", "1e3"; "64MiB", "1.5 MB".
// Every parsed duration is also formatted the way summaries print it.
//
// Checked besides crashes: a parsed duration is finite, its printed form reads back
// as the same duration (to the precision printed), and what a flag accepts a script
// reads as the same duration (flags take a subset: Go's syntax, no bare numbers).
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "engine/common/byte_size.hpp"
#include "engine/common/duration.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  (void)lueng::parse_byte_size(text);
  auto seconds = lueng::parse_duration(text);
  if (auto flag = lueng::parse_flag_duration(text); flag && (!seconds || *flag != *seconds))
    std::abort();
  if (!seconds) return 0;
  if (!std::isfinite(*seconds)) std::abort();
  std::string printed = lueng::format_duration(*seconds);
  auto again = lueng::parse_duration(printed);
  if (!again) std::abort();
  if (std::fabs(*again - *seconds) > std::max(std::fabs(*seconds) * 5e-3, 1e-9)) std::abort();
  return 0;
}
