#pragma once

#include <cstddef>
#include <optional>
#include <string_view>

namespace lueng::hotel_mock {

// The names used by --latency and by the `endpoint` label of /metrics. They match
// the endpoint tags of the scenario scripts so a mock setting and an SLO line up.
enum class Endpoint : unsigned char {
  kHealth,
  kVerify,
  kWhatsapp,
  // A WhatsApp webhook carrying an audio message: real backends transcribe audio,
  // so it gets its own latency and its own SLO (p95 < 15 s instead of 3 s).
  kWhatsappAudio,
  kAvailability,
  kRoomTypes,
  kAccommodations,
  kAccommodationAvailability,
  kPrereserve,
  kReservation,
  kMercadopago,
  kMetrics,
  kUnknown,
};

inline constexpr size_t kEndpointCount = static_cast<size_t>(Endpoint::kUnknown) + 1;

constexpr size_t index_of(Endpoint endpoint) {
  return static_cast<size_t>(endpoint);
}

std::string_view endpoint_name(Endpoint endpoint);
std::optional<Endpoint> endpoint_from_name(std::string_view name);

// Health and metrics are how operators and tests observe the mock, so they keep
// answering while business endpoints are overloaded or failing on purpose; unknown
// paths are a client's bug, not load. None of them enters the load model.
constexpr bool is_control(Endpoint endpoint) {
  return endpoint == Endpoint::kHealth || endpoint == Endpoint::kMetrics ||
         endpoint == Endpoint::kUnknown;
}

}  // namespace lueng::hotel_mock
