#pragma once

#include <atomic>
#include <cstdint>

#include "tools/hotel-mock/handlers.hpp"
#include "tools/hotel-mock/http_message.hpp"
#include "tools/hotel-mock/load_model.hpp"
#include "tools/hotel-mock/metrics.hpp"
#include "tools/hotel-mock/options.hpp"
#include "tools/hotel-mock/store.hpp"

namespace lueng::hotel_mock {

// A decided answer, waiting for its delay to pass before it is written.
struct Reply {
  Response response;
  Endpoint endpoint = Endpoint::kUnknown;
  bool in_flight = false;  // counted by the load model until finished
  uint64_t delay_ms = 0;
};

// The hotel application, independent of sockets: turns a request into a reply and
// accounts for it. Shared by every worker thread.
class Service {
 public:
  explicit Service(const Options& options);

  Reply handle(Request& request, Rng& rng);
  // The reply was written (`duration_ns` after the request began) ...
  void finished(const Reply& reply, uint64_t duration_ns);
  // ... or will never be, because its connection closed first.
  void abandoned(const Reply& reply);
  // A client connection was accepted, or closed (hotel_mock_open_connections).
  void connection_opened() { open_connections_.fetch_add(1, std::memory_order_relaxed); }
  void connection_closed() { open_connections_.fetch_sub(1, std::memory_order_relaxed); }

 private:
  const Options& options_;
  Store store_;
  Metrics metrics_;
  LoadModel load_;
  Leak leak_;
  std::atomic<int64_t> open_connections_{0};
  Context context_;
};

}  // namespace lueng::hotel_mock
