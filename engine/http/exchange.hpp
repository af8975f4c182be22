#pragma once

#include <cstdint>
#include <string>

#include "engine/http/client.hpp"
#include "engine/http/connection.hpp"
#include "engine/http/dns_cache.hpp"
#include "engine/http/timer.hpp"

namespace lueng::http {

// Drives one request of a Session at a time through its phases: pick an idle
// connection or resolve, connect (trying each address) and send; enforce the
// overall timeout; retry once after a stale keep-alive connection; hand the result
// to the handler exactly once, never from inside send().
//
// Created once per Session and reused, so a request on a kept-alive connection
// allocates nothing.
class Session::Exchange final : private DnsWaiter, private ConnectionListener {
 public:
  explicit Exchange(Session& session);
  Exchange(const Exchange&) = delete;
  Exchange& operator=(const Exchange&) = delete;

  void start(const Request& request, ResponseData& out, ResponseHandler* handler);
  // Forgets the request in flight without calling its handler. The caller drops the
  // connections.
  void abandon();
  bool busy() const { return phase_ != Phase::kIdle || delivery_pending_; }

 private:
  enum class Phase { kIdle, kResolving, kConnecting, kExchanging };

  static void on_timer(void* self);

  void acquire_connection();
  void connect_to(const AddressList& addresses);
  void connect_next();
  void add_connect_timings(const Connection& connection);
  void exchange_on(Connection& connection);
  void drop(Connection& connection);
  void time_out();
  void fail(ErrorCode code, std::string_view message);
  void finish();
  void deliver();

  void on_resolved(int status, const AddressList* addresses) override;
  void on_connected(Connection& connection, int status) override;
  void on_response_complete(Connection& connection, bool keep_alive) override;
  void on_exchange_failed(Connection& connection, bool retryable) override;
  void on_idle_closed(Connection& connection) override;

  Session& session_;
  Timer timer_;  // the request's timeout, and the deferred delivery of early results
  Request request_;
  ResponseData* out_ = nullptr;
  ResponseHandler* handler_ = nullptr;
  Phase phase_ = Phase::kIdle;
  std::string key_;  // the request's authority, "host:port"; capacity reused
  const AddressList* addresses_ = nullptr;
  SSL_CTX* tls_context_ = nullptr;  // for https: the context of the request's host
  size_t next_address_ = 0;
  Connection* connecting_ = nullptr;
  uint64_t start_ns_ = 0;
  uint64_t connect_start_ns_ = 0;
  bool retried_ = false;
  bool inside_start_ = false;
  bool delivery_pending_ = false;
};

}  // namespace lueng::http
