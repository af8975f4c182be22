#include "engine/exec/failure_log.hpp"

#include <functional>
#include <string>

#include "engine/result/failures.hpp"

namespace lueng::exec {

namespace {

size_t hash_of(std::string_view method, std::string_view endpoint, int status, int error_code) {
  std::hash<std::string_view> hash;
  size_t h = hash(endpoint);
  h ^= hash(method) + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2);
  h ^=
      (static_cast<size_t>(status) << 16 | static_cast<size_t>(error_code)) * 0x9e3779b97f4a7c15ULL;
  return h;
}

}  // namespace

FailureLog::FailureLog() {
  rows_.reserve(result::kMaxFailureRows);
  slots_.fill(kFree);
}

void FailureLog::record(std::string_view method, std::string_view endpoint, int status,
                        int error_code, std::string_view message) {
  size_t slot = hash_of(method, endpoint, status, error_code) % kSlots;
  std::lock_guard lock(mutex_);
  for (;; slot = (slot + 1) % kSlots) {
    uint16_t at = slots_[slot];
    if (at == kFree) break;
    result::FailureCount& row = rows_[at];
    if (row.status == status && row.error_code == error_code && row.endpoint == endpoint &&
        row.method == method) {
      ++row.count;
      return;
    }
  }
  if (rows_.size() >= result::kMaxFailureRows) {
    ++unlisted_;
    return;
  }
  // A new combination: the only allocation, at most kMaxFailureRows times a run.
  slots_[slot] = static_cast<uint16_t>(rows_.size());
  rows_.push_back({std::string(method), std::string(endpoint), status, error_code,
                   message.empty() ? "HTTP " + std::to_string(status) : std::string(message), 1});
}

std::vector<result::FailureCount> FailureLog::rows() const {
  std::vector<result::FailureCount> sorted;
  {
    std::lock_guard lock(mutex_);
    sorted = rows_;
  }
  uint64_t cut = 0;  // none: the log holds at most the bound
  result::rank_failures(sorted, &cut);
  return sorted;
}

uint64_t FailureLog::unlisted() const {
  std::lock_guard lock(mutex_);
  return unlisted_;
}

}  // namespace lueng::exec
