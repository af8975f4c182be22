#include "tools/hotel-mock/endpoint.hpp"

#include <array>

namespace lueng::hotel_mock {

namespace {

constexpr std::array<std::string_view, kEndpointCount> kNames = {
    "health",       "verify",      "whatsapp",       "whatsapp_audio",
    "availability", "room_types",  "accommodations", "accommodation_availability",
    "prereserve",   "reservation", "mercadopago",    "metrics",
    "unknown",
};

}  // namespace

std::string_view endpoint_name(Endpoint endpoint) {
  return kNames[index_of(endpoint)];
}

std::optional<Endpoint> endpoint_from_name(std::string_view name) {
  for (size_t i = 0; i + 1 < kEndpointCount; ++i) {
    if (kNames[i] == name) return static_cast<Endpoint>(i);
  }
  return std::nullopt;
}

}  // namespace lueng::hotel_mock
