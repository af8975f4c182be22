#pragma once

#include <atomic>
#include <cstdint>
#include <string_view>

#include "tools/hotel-mock/http_message.hpp"
#include "tools/hotel-mock/leak.hpp"
#include "tools/hotel-mock/load_model.hpp"
#include "tools/hotel-mock/metrics.hpp"
#include "tools/hotel-mock/options.hpp"
#include "tools/hotel-mock/store.hpp"

namespace lueng::hotel_mock {

// What handlers may touch; everything in it is safe to use from any worker thread.
struct Context {
  const Options& options;
  Store& store;
  Metrics& metrics;
  LoadModel& load;
  Leak& leak;
  const std::atomic<int64_t>& open_connections;
};

// `param` is the path segment captured by the route's {id}, decoded.
using Handler = Response (*)(const Request& request, Context& context, std::string_view param);

// handlers_ops.cpp
Response health_live(const Request&, Context&, std::string_view);
Response health_ready(const Request&, Context&, std::string_view);
Response metrics_text(const Request&, Context&, std::string_view);

// handlers_pms.cpp
Response room_types_list(const Request&, Context&, std::string_view);
Response pms_availability(const Request&, Context&, std::string_view);
Response accommodations_list(const Request&, Context&, std::string_view);
Response accommodation_get(const Request&, Context&, std::string_view id);
Response accommodation_availability(const Request&, Context&, std::string_view id);

// handlers_reservations.cpp
Response prereserve(const Request&, Context&, std::string_view);
Response reservation_get(const Request&, Context&, std::string_view id);

// handlers_webhooks.cpp
Response whatsapp_verify(const Request&, Context&, std::string_view);
Response whatsapp_webhook(const Request&, Context&, std::string_view);
Response mercadopago_webhook(const Request&, Context&, std::string_view);

}  // namespace lueng::hotel_mock
