#pragma once

#include <cstdint>

namespace lueng {

// The most memory this process may use, in bytes: the least of the machine's
// RAM, the address-space and data limits (setrlimit, ulimit -v) and the
// control group's limit (cgroup v2 memory.max, v1 memory.limit_in_bytes), of
// those that are set. UINT64_MAX when none is known.
uint64_t memory_limit_bytes();

}  // namespace lueng
