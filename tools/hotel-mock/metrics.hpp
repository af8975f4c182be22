#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <string>

#include "tools/hotel-mock/endpoint.hpp"

namespace lueng::hotel_mock {

// Per-endpoint counters shared by every worker thread; atomics, so recording never
// takes a lock on the request path.
class Metrics {
 public:
  void record(Endpoint endpoint, int status, uint64_t duration_ns);

  struct Gauges {
    int64_t in_flight;
    int capacity;
    size_t active_reservations;
    int64_t open_connections;
    uint64_t leaked_bytes;
  };
  // Prometheus text exposition format 0.0.4.
  std::string render(const Gauges& gauges) const;

 private:
  // Every status the mock can answer; anything else would be a bug, counted as "other".
  static constexpr std::array<int, 13> kStatuses = {200, 201, 204, 400, 401, 403, 404,
                                                    405, 409, 413, 431, 500, 503};
  static constexpr size_t kSlots = kStatuses.size() + 1;

  std::array<std::array<std::atomic<uint64_t>, kSlots>, kEndpointCount> requests_{};
  std::array<std::atomic<uint64_t>, kEndpointCount> duration_ns_{};
  std::array<std::atomic<uint64_t>, kEndpointCount> durations_{};
};

}  // namespace lueng::hotel_mock
