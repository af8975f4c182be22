#pragma once

#include <cstdint>
#include <optional>

namespace lueng::hotel_mock {

// The mock's own process, as /proc tells it: what a service exposes under the
// Prometheus client libraries' standard names (process_resident_memory_bytes,
// process_cpu_seconds_total, process_open_fds), so that a load test can watch it.
struct ProcessStats {
  uint64_t resident_bytes = 0;
  double cpu_seconds = 0;  // user + system
  uint64_t open_fds = 0;
};

// Nothing when /proc cannot be read (not Linux, or a restricted sandbox).
std::optional<ProcessStats> read_process_stats();

}  // namespace lueng::hotel_mock
