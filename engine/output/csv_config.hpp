#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "engine/output/remote_write_config.hpp"  // Environment

namespace lueng::output {

// The timestamp column's format, k6's timeFormat values.
enum class CsvTimeFormat {
  kUnix,         // "unix": whole seconds (the default)
  kUnixMilli,    // "unix_milli"
  kUnixMicro,    // "unix_micro"
  kUnixNano,     // "unix_nano"
  kRfc3339,      // "rfc3339": 2019-07-05T11:04:04Z
  kRfc3339Nano,  // "rfc3339_nano": 2019-07-05T11:04:04.006482125Z, trailing zeros cut
};

// How --out csv writes, as k6's csv output (internal/output/csv/config.go).
struct CsvConfig {
  std::string file_name = "file.csv";  // "-" (or ""): standard output; FILE.gz: gzip
  double save_interval_seconds = 1;    // the longest rows wait before they are written
  CsvTimeFormat time_format = CsvTimeFormat::kUnix;
};

// The configuration from K6_CSV_FILENAME, K6_CSV_SAVE_INTERVAL and
// K6_CSV_TIME_FORMAT, then the --out argument, which wins: a file name alone
// or "fileName=...,saveInterval=...,timeFormat=..." (k6's keys). Returns "" or
// a one-line problem naming the option.
std::string read_csv_config(std::string_view argument, const Environment& env, CsvConfig* config);

// Appends a Unix time in nanoseconds in that format.
void append_csv_time(std::string& out, int64_t unix_ns, CsvTimeFormat format);

}  // namespace lueng::output
