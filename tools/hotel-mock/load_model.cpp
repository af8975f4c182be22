#include "tools/hotel-mock/load_model.hpp"

#include <algorithm>
#include <cmath>

namespace lueng::hotel_mock {

namespace {
constexpr double kMaxDegradationSeconds = 3600;
}  // namespace

LoadModel::LoadModel(const Options& options) : options_(options), capacity_(options.capacity) {}

bool LoadModel::inject_error(Rng& rng) const {
  if (options_.error_rate <= 0) return false;
  if (options_.error_rate >= 1) return true;
  return std::uniform_real_distribution<double>(0, 1)(rng) < options_.error_rate;
}

double LoadModel::degradation_s(std::chrono::steady_clock::time_point now) const {
  if (options_.degrade_s <= 0) return 0;
  double uptime = std::chrono::duration<double>(now - started_).count();
  // A mock left running for days must not overflow the timer.
  return std::min(options_.degrade_s * uptime, kMaxDegradationSeconds);
}

uint64_t LoadModel::delay_ms(Endpoint endpoint, int64_t in_flight, Rng& rng) const {
  Latency latency = options_.latency_of(endpoint);
  double seconds = latency.mean_s;
  if (latency.jitter_s > 0) {
    seconds += std::uniform_real_distribution<double>(-latency.jitter_s, latency.jitter_s)(rng);
  }
  seconds = std::max(seconds, 0.0);
  if (!is_control(endpoint)) seconds += degradation_s(std::chrono::steady_clock::now());
  if (capacity_ > 0 && in_flight > capacity_) {
    // Every request beyond the capacity waits behind the ones being served, so the
    // service time is multiplied by the queue length in units of capacity.
    seconds += seconds * static_cast<double>(in_flight - capacity_) / capacity_;
  }
  return static_cast<uint64_t>(std::llround(seconds * 1000));
}

}  // namespace lueng::hotel_mock
