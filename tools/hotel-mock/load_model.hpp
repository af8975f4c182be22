#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <random>

#include "tools/hotel-mock/endpoint.hpp"
#include "tools/hotel-mock/options.hpp"

namespace lueng::hotel_mock {

// Each worker thread draws from its own generator (seeded from --seed and the
// worker's index), so no lock is taken and a one-thread run is reproducible.
using Rng = std::mt19937_64;

// How the mock behaves under load: configured latency, injected errors, and a
// capacity past which requests queue (latency grows with the queue) and then are
// shed with 503. Everything derives from one shared in-flight count, so the mock
// recovers by itself as soon as load drops. With --degrade, business requests
// also get slower with uptime, whatever the load: a backend that leaks.
class LoadModel {
 public:
  explicit LoadModel(const Options& options);

  // A business request arrived; returns the in-flight count including it.
  int64_t enter() { return in_flight_.fetch_add(1, std::memory_order_relaxed) + 1; }
  void leave() { in_flight_.fetch_sub(1, std::memory_order_relaxed); }
  int64_t in_flight() const { return in_flight_.load(std::memory_order_relaxed); }

  // More requests in flight than the capacity: readiness reports not ready.
  bool overloaded() const { return capacity_ > 0 && in_flight() > capacity_; }
  // The queue bound: past it the request is refused at once.
  bool shed(int64_t in_flight) const {
    return capacity_ > 0 && in_flight > kShedFactor * capacity_;
  }
  bool inject_error(Rng& rng) const;

  // The delay before answering: the endpoint's latency (plus the degradation for
  // business requests), stretched by the queue when `in_flight` exceeds the capacity.
  uint64_t delay_ms(Endpoint endpoint, int64_t in_flight, Rng& rng) const;
  // --degrade times the seconds since `started`; the mock starts with its LoadModel.
  double degradation_s(std::chrono::steady_clock::time_point now) const;

  int capacity() const { return capacity_; }

  static constexpr int64_t kShedFactor = 4;

 private:
  const Options& options_;
  const int capacity_;
  const std::chrono::steady_clock::time_point started_ = std::chrono::steady_clock::now();
  std::atomic<int64_t> in_flight_{0};
};

}  // namespace lueng::hotel_mock
