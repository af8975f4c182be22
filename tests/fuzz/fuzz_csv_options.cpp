// --out csv's options as a user writes them (engine/output/csv_config.hpp): the
// argument after `csv=` and the K6_CSV_* variables, any text. The input is the
// argument, then after a NUL the value given to each variable.
//
// Checked besides crashes: a configuration that reads has a positive finite save
// interval, and any time of the int64 range formats in every time format as
// digits or an RFC 3339 text ending in Z.
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>

#include "engine/output/csv_config.hpp"

using namespace lueng::output;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  size_t nul = text.find('\0');
  std::string_view argument = text.substr(0, nul);
  std::string value = nul == std::string_view::npos ? "" : std::string(text.substr(nul + 1));
  for (const char* variable :
       {"", "K6_CSV_FILENAME", "K6_CSV_SAVE_INTERVAL", "K6_CSV_TIME_FORMAT"}) {
    Environment env;
    if (*variable) env.emplace_back(variable, value);
    CsvConfig config;
    if (!read_csv_config(argument, env, &config).empty()) continue;
    if (!(config.save_interval_seconds > 0) || !std::isfinite(config.save_interval_seconds))
      std::abort();
  }
  int64_t unix_ns = 0;
  std::memcpy(&unix_ns, data, std::min(size, sizeof unix_ns));
  for (auto format :
       {CsvTimeFormat::kUnix, CsvTimeFormat::kUnixMilli, CsvTimeFormat::kUnixMicro,
        CsvTimeFormat::kUnixNano, CsvTimeFormat::kRfc3339, CsvTimeFormat::kRfc3339Nano}) {
    std::string out;
    append_csv_time(out, unix_ns, format);
    if (out.empty()) std::abort();
    bool rfc = format == CsvTimeFormat::kRfc3339 || format == CsvTimeFormat::kRfc3339Nano;
    if (rfc && out.back() != 'Z') std::abort();
    if (!rfc && out.find_first_not_of("-0123456789") != std::string::npos) std::abort();
  }
  return 0;
}
