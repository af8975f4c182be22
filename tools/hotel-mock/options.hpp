#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <variant>

#include "tools/hotel-mock/endpoint.hpp"

namespace lueng::hotel_mock {

// Added response time of one endpoint: uniform in [mean - jitter, mean + jitter],
// never below zero.
struct Latency {
  double mean_s = 0;
  double jitter_s = 0;
};

struct Options {
  std::string host = "127.0.0.1";
  int port = 8000;
  int threads = 1;
  std::array<std::optional<Latency>, kEndpointCount> latency{};
  std::optional<Latency> default_latency;
  double error_rate = 0;
  int capacity = 0;  // 0: unlimited
  // Added latency of every business request grows by this many seconds per
  // second of uptime: a leaking backend, for soak tests to find drift.
  double degrade_s = 0;
  std::string whatsapp_secret;
  std::string mp_secret;
  std::string verify_token = "test_verify_token";
  uint64_t seed = 1;
  double hold_s = 15 * 60;  // how long a pre-reservation blocks its dates
  // --leak: bytes every business request keeps for good (0: no leak), up to
  // leak_cap_bytes in all (leak.hpp).
  uint64_t leak_per_request = 0;
  uint64_t leak_cap_bytes = 256ull << 20;

  // The configured latency of an endpoint, after the fallbacks (audio falls back to
  // text WhatsApp, everything but metrics to `default`).
  Latency latency_of(Endpoint endpoint) const;
};

// Either the options, or the exit status to leave with right away (0 after --help,
// 104 after a one-line error on stderr).
std::variant<Options, int> parse_options(int argc, char** argv);

// "ENDPOINT=MEAN[:JITTER]" with k6-style durations. `endpoint` is nullopt for
// `default`. Returns an error message on failure.
struct LatencySetting {
  std::optional<Endpoint> endpoint;
  Latency latency;
};
std::variant<LatencySetting, std::string> parse_latency(std::string_view text);

}  // namespace lueng::hotel_mock
