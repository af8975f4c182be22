#include "engine/exec/error_log.hpp"

#include <algorithm>
#include <cstdio>

namespace lueng::exec {

void ErrorLog::report(const std::string& message, const char* phase, bool deliberate) {
  std::lock_guard lock(mutex_);
  if (auto it = index_.find(message); it != index_.end()) {
    ++messages_[it->second].count;
    return;
  }
  if (messages_.size() >= kMaxMessages) {
    if (!bound_reported_)
      fprintf(stderr,
              "WARN more than %zu distinct script error messages: further ones are counted"
              " (script_errors) but not printed or listed\n",
              kMaxMessages);
    bound_reported_ = true;
    return;
  }
  index_.emplace(message, messages_.size());
  messages_.push_back({message, phase, deliberate, 1});
  // setup() and teardown() errors are printed by the command, with their exit status.
  if (messages_.back().phase == "iteration")
    fprintf(stderr, "%s iteration %s: %s\n", deliberate ? "FAIL" : "ERROR",
            deliberate ? "ended by lueng.fail()" : "failed", message.c_str());
}

std::vector<result::ScriptErrorCount> ErrorLog::counts() const {
  std::lock_guard lock(mutex_);
  std::vector<result::ScriptErrorCount> sorted = messages_;
  std::stable_sort(sorted.begin(), sorted.end(),
                   [](const auto& a, const auto& b) { return a.count > b.count; });
  return sorted;
}

void ErrorLog::print_repeats() const {
  std::lock_guard lock(mutex_);
  for (const auto& error : messages_)
    if (error.count > 1)
      fprintf(stderr, "%s %s (occurred %llu times)\n", error.deliberate ? "FAIL" : "ERROR",
              error.message.c_str(), static_cast<unsigned long long>(error.count));
}

}  // namespace lueng::exec
