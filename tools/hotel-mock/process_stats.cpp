#include "tools/hotel-mock/process_stats.hpp"

#include <dirent.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>

namespace lueng::hotel_mock {

namespace {

// utime and stime, fields 14 and 15 of /proc/self/stat, in clock ticks. The
// command name (field 2) may hold spaces and parentheses, so fields are counted
// from its closing parenthesis.
std::optional<double> read_cpu_seconds() {
  FILE* file = std::fopen("/proc/self/stat", "r");
  if (!file) return std::nullopt;
  char line[1024];
  size_t n = std::fread(line, 1, sizeof line - 1, file);
  std::fclose(file);
  line[n] = '\0';
  const char* p = std::strrchr(line, ')');
  if (!p) return std::nullopt;
  unsigned long long utime = 0, stime = 0;
  // After ")": state (3), then fields 4..13, then utime (14) and stime (15).
  if (std::sscanf(p + 1, " %*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu", &utime,
                  &stime) != 2)
    return std::nullopt;
  long ticks = sysconf(_SC_CLK_TCK);
  if (ticks <= 0) return std::nullopt;
  return static_cast<double>(utime + stime) / static_cast<double>(ticks);
}

std::optional<uint64_t> read_resident_bytes() {
  FILE* file = std::fopen("/proc/self/statm", "r");
  if (!file) return std::nullopt;
  unsigned long long size = 0, resident = 0;
  int read = std::fscanf(file, "%llu %llu", &size, &resident);
  std::fclose(file);
  if (read != 2) return std::nullopt;
  return resident * static_cast<uint64_t>(sysconf(_SC_PAGESIZE));
}

uint64_t count_open_fds() {
  DIR* dir = opendir("/proc/self/fd");
  if (!dir) return 0;
  uint64_t count = 0;
  while (const dirent* entry = readdir(dir))
    if (entry->d_name[0] != '.') ++count;
  closedir(dir);
  return count > 0 ? count - 1 : 0;  // not the descriptor reading the folder
}

}  // namespace

std::optional<ProcessStats> read_process_stats() {
  auto resident = read_resident_bytes();
  auto cpu = read_cpu_seconds();
  if (!resident || !cpu) return std::nullopt;
  return ProcessStats{*resident, *cpu, count_open_fds()};
}

}  // namespace lueng::hotel_mock
