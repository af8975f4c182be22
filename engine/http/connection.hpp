#pragma once

#include <string_view>

#include "engine/http/client.hpp"
#include "engine/http/ip_address.hpp"

namespace lueng::http {

class Connection;

// What a connection reports about a request to the exchange that sent it. Every
// call is the last thing the connection does in that callback, so the listener may
// destroy the connection (or send the next request on it) from inside any of them.
class ConnectionListener {
 public:
  // The response is complete; `keep_alive` says whether the connection takes
  // another request (otherwise it must be dropped).
  virtual void on_response_complete(Connection& connection, bool keep_alive) = 0;
  // The response carries the error; the connection is unusable. `retryable`: a reused
  // connection died before answering (the server closed it while idle), so the
  // request may be repeated on a fresh connection.
  virtual void on_exchange_failed(Connection& connection, bool retryable) = 0;

 protected:
  ~ConnectionListener() = default;
};

// What a connection with no request in flight reports to whoever keeps it (the
// pool), with the same last-statement rule.
class IdleListener {
 public:
  // The server closed the connection (or spoke out of turn): it must be dropped.
  virtual void on_idle_closed(Connection& connection) = 0;

 protected:
  ~IdleListener() = default;
};

// One connection speaking one version of HTTP over a connected Stream: what the
// exchange and the pool see of it. Http1Connection is the one kind today; a kind
// is chosen by the protocol the TLS handshake agreed on (protocols.hpp).
// Destroying a connection closes its transport at once (no callback follows); its
// libuv memory is freed later by the stream itself.
class Connection {
 public:
  virtual ~Connection() = default;

  // Whether send() may be called now: HTTP/1.1 takes one request at a time.
  virtual bool can_send() const = 0;
  // The peer this connection is to.
  virtual const IpAddress& peer() const = 0;

  // Writes the request and reads the response into `out`; the outcome arrives at
  // `listener` as on_response_complete or on_exchange_failed, possibly before
  // send() returns when the write fails at once. `request` and `out` must stay
  // valid until then.
  virtual void send(const Request& request, std::string_view user_agent, ResponseData& out,
                    ConnectionListener& listener) = 0;

  // The request `listener` sent is given up (its timeout passed): its timings are
  // measured up to now, no callback follows for it, and the caller drops the
  // connection.
  virtual void abort_exchange(ConnectionListener& listener) = 0;
};

}  // namespace lueng::http
