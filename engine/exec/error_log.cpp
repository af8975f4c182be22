#include "engine/exec/error_log.hpp"

#include <cstdio>

namespace lueng::exec {

void ErrorLog::report(const std::string& message) {
  std::lock_guard lock(mutex_);
  if (++counts_[message] == 1) fprintf(stderr, "ERROR iteration failed: %s\n", message.c_str());
}

std::map<std::string, uint64_t> ErrorLog::counts() const {
  std::lock_guard lock(mutex_);
  return counts_;
}

void ErrorLog::print_repeats() const {
  std::lock_guard lock(mutex_);
  for (const auto& [message, count] : counts_)
    if (count > 1)
      fprintf(stderr, "ERROR %s (occurred %llu times)\n", message.c_str(),
              static_cast<unsigned long long>(count));
}

}  // namespace lueng::exec
