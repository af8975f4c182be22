#include "tools/hotel-mock/handlers.hpp"
#include "tools/hotel-mock/json.hpp"

namespace lueng::hotel_mock {

Response health_live(const Request&, Context&, std::string_view) {
  return json_response(200, [](JsonWriter& w) {
    w.StartObject();
    write_key(w, "status");
    write_string(w, "ok");
    w.EndObject();
  });
}

// Not ready while over capacity, as a real service behind a load balancer would
// report itself to be taken out of rotation.
Response health_ready(const Request&, Context& context, std::string_view) {
  bool overloaded = context.load.overloaded();
  return json_response(overloaded ? 503 : 200, [&](JsonWriter& w) {
    w.StartObject();
    write_key(w, "status");
    write_string(w, overloaded ? "overloaded" : "ready");
    write_key(w, "in_flight");
    w.Int64(context.load.in_flight());
    write_key(w, "capacity");
    w.Int(context.load.capacity());
    w.EndObject();
  });
}

Response metrics_text(const Request&, Context& context, std::string_view) {
  Response response;
  response.content_type = "text/plain; version=0.0.4; charset=utf-8";
  response.body = context.metrics.render(
      {context.load.in_flight(), context.load.capacity(), context.store.active_count(now_ms()),
       context.open_connections.load(std::memory_order_relaxed), context.leak.kept_bytes()});
  return response;
}

}  // namespace lueng::hotel_mock
