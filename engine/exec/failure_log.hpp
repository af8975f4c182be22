#pragma once

#include <array>
#include <cstdint>
#include <mutex>
#include <string_view>
#include <vector>

#include "engine/result/run_result.hpp"

namespace lueng::exec {

// Failed requests by endpoint, status and error code, shared by all workers: a
// count and the first message of each (the reports' failures table). Touched only
// when a request failed, never for a successful one. The rows are reserved up
// front and found without building a key, so a failure of a combination seen
// before allocates nothing; past result::kMaxFailureRows combinations (an
// endpoint name that carries ids), further ones are only counted in unlisted().
class FailureLog {
 public:
  FailureLog();

  // `message`: the error as the request got it; empty for a failing status, which
  // is then described as "HTTP <status>".
  void record(std::string_view method, std::string_view endpoint, int status, int error_code,
              std::string_view message);
  // Most frequent first.
  std::vector<result::FailureCount> rows() const;
  uint64_t unlisted() const;

 private:
  // Open addressing over twice the bound: a probe ends at the row or a free slot.
  static constexpr size_t kSlots = 2 * result::kMaxFailureRows;
  static constexpr uint16_t kFree = UINT16_MAX;

  mutable std::mutex mutex_;
  std::vector<result::FailureCount> rows_;
  std::array<uint16_t, kSlots> slots_;
  uint64_t unlisted_ = 0;
};

}  // namespace lueng::exec
