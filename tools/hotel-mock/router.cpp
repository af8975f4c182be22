#include "tools/hotel-mock/router.hpp"

#include <array>

namespace lueng::hotel_mock {

namespace {

struct Route {
  std::string_view method;
  std::string_view pattern;
  Endpoint endpoint;
  Handler handler;
};

constexpr std::array<Route, 13> kRoutes = {{
    {"GET", "/health/live", Endpoint::kHealth, health_live},
    {"GET", "/health/ready", Endpoint::kHealth, health_ready},
    {"GET", "/metrics", Endpoint::kMetrics, metrics_text},
    {"GET", "/api/v1/webhooks/whatsapp", Endpoint::kVerify, whatsapp_verify},
    {"POST", "/api/v1/webhooks/whatsapp", Endpoint::kWhatsapp, whatsapp_webhook},
    {"POST", "/api/v1/webhooks/mercadopago", Endpoint::kMercadopago, mercadopago_webhook},
    {"GET", "/api/v1/pms/availability", Endpoint::kAvailability, pms_availability},
    {"GET", "/api/v1/pms/room-types", Endpoint::kRoomTypes, room_types_list},
    {"GET", "/api/v1/accommodations", Endpoint::kAccommodations, accommodations_list},
    {"GET", "/api/v1/accommodations/{id}", Endpoint::kAccommodations, accommodation_get},
    {"GET", "/api/v1/accommodations/{id}/availability", Endpoint::kAccommodationAvailability,
     accommodation_availability},
    {"POST", "/api/v1/reservations/prereserve", Endpoint::kPrereserve, prereserve},
    {"GET", "/api/v1/reservations/{id}", Endpoint::kReservation, reservation_get},
}};

std::string_view next_segment(std::string_view& rest) {
  if (!rest.empty() && rest.front() == '/') rest.remove_prefix(1);
  auto slash = rest.find('/');
  std::string_view segment = rest.substr(0, slash);
  rest = slash == std::string_view::npos ? std::string_view() : rest.substr(slash);
  return segment;
}

bool matches(std::string_view pattern, std::string_view path, std::string& param) {
  if (path.empty() || path.front() != '/') return false;
  while (!pattern.empty() || !path.empty()) {
    if (pattern.empty() || path.empty()) return false;
    std::string_view want = next_segment(pattern);
    std::string_view got = next_segment(path);
    if (want == "{id}") {
      if (got.empty()) return false;
      param.assign(got);
    } else if (want != got) {
      return false;
    }
  }
  return true;
}

}  // namespace

Match route(std::string_view method, std::string_view path) {
  Match match;
  std::string param;
  for (const auto& r : kRoutes) {
    if (!matches(r.pattern, path, param)) continue;
    if (r.method == method) {
      match.endpoint = r.endpoint;
      match.handler = r.handler;
      match.param = std::move(param);
      return match;
    }
    // A known path with another method: 405, labelled with the path's endpoint.
    if (match.status != 405) match.endpoint = r.endpoint;
    match.status = 405;
    if (!match.allow.empty()) match.allow += ", ";
    match.allow += r.method;
  }
  return match;
}

}  // namespace lueng::hotel_mock
