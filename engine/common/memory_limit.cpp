#include "engine/common/memory_limit.hpp"

#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <string>

namespace lueng {

namespace {

// A limit file of the control group: a number of bytes, or "max" for none.
uint64_t cgroup_limit(const char* path) {
  std::ifstream file(path);
  std::string text;
  if (!(file >> text) || text.empty() || text.find_first_not_of("0123456789") != std::string::npos)
    return UINT64_MAX;
  try {
    return std::stoull(text);
  } catch (const std::exception&) {
    return UINT64_MAX;  // beyond 64 bits: no limit
  }
}

uint64_t rlimit_bytes(int resource) {
  rlimit limit{};
  if (getrlimit(resource, &limit) != 0 || limit.rlim_cur == RLIM_INFINITY) return UINT64_MAX;
  return static_cast<uint64_t>(limit.rlim_cur);
}

uint64_t physical_memory() {
  long pages = sysconf(_SC_PHYS_PAGES);
  long page_size = sysconf(_SC_PAGE_SIZE);
  if (pages <= 0 || page_size <= 0) return UINT64_MAX;
  return static_cast<uint64_t>(pages) * static_cast<uint64_t>(page_size);
}

}  // namespace

uint64_t memory_limit_bytes() {
  return std::min({physical_memory(), rlimit_bytes(RLIMIT_AS), rlimit_bytes(RLIMIT_DATA),
                   cgroup_limit("/sys/fs/cgroup/memory.max"),
                   cgroup_limit("/sys/fs/cgroup/memory/memory.limit_in_bytes")});
}

}  // namespace lueng
