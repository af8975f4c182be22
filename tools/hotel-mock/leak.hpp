#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <vector>

namespace lueng::hotel_mock {

// --leak: every business request keeps `per_request` bytes for good, written so
// that they count in the resident memory, until `cap` bytes are kept: a service
// with a memory leak, for soak tests to find through its metrics
// (docs/hotel-mock.md). The cap keeps the machine safe from a long run.
class Leak {
 public:
  Leak(uint64_t per_request, uint64_t cap) : per_request_(per_request), cap_(cap) {}
  // Called once per business request, from any worker thread.
  void on_request();
  uint64_t kept_bytes() const;

 private:
  uint64_t per_request_;
  uint64_t cap_;
  mutable std::mutex mutex_;  // taken once per request, and only with --leak
  std::vector<std::unique_ptr<char[]>> chunks_;
  uint64_t kept_ = 0;
};

}  // namespace lueng::hotel_mock
