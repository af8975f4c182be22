#include "tools/hotel-mock/service.hpp"

#include "tools/hotel-mock/json.hpp"
#include "tools/hotel-mock/router.hpp"

namespace lueng::hotel_mock {

Service::Service(const Options& options)
    : options_(options),
      store_(options.hold_s),
      load_(options),
      leak_(options.leak_per_request, options.leak_cap_bytes),
      context_{options_, store_, metrics_, load_, leak_, open_connections_} {}

Reply Service::handle(Request& request, Rng& rng) {
  request.decode_target();
  Match match = route(request.method, request.path);
  Reply reply;
  reply.endpoint = match.endpoint;
  if (!match.handler) {
    // Wrong paths and methods are the client's bug, not load: answered at once.
    reply.response =
        error_response(match.status, match.status == 405 ? "method not allowed" : "not found");
    if (match.status == 405) reply.response.headers.emplace_back("Allow", match.allow);
    return reply;
  }
  if (is_control(match.endpoint)) {
    reply.response = match.handler(request, context_, match.param);
    reply.delay_ms = load_.delay_ms(match.endpoint, 0, rng);
    return reply;
  }

  leak_.on_request();
  int64_t in_flight = load_.enter();
  reply.in_flight = true;
  if (load_.shed(in_flight)) {
    reply.response = error_response(503, "over capacity");
    reply.response.headers.emplace_back("Retry-After", "1");
    return reply;
  }
  if (load_.inject_error(rng)) {
    reply.response = error_response(500, "injected failure");
  } else {
    reply.response = match.handler(request, context_, match.param);
    if (reply.response.endpoint) reply.endpoint = *reply.response.endpoint;
  }
  reply.delay_ms = load_.delay_ms(reply.endpoint, in_flight, rng);
  return reply;
}

void Service::finished(const Reply& reply, uint64_t duration_ns) {
  metrics_.record(reply.endpoint, reply.response.status, duration_ns);
  if (reply.in_flight) load_.leave();
}

void Service::abandoned(const Reply& reply) {
  if (reply.in_flight) load_.leave();
}

}  // namespace lueng::hotel_mock
