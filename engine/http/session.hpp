#pragma once

#include <memory>
#include <vector>

#include "engine/http/client.hpp"
#include "engine/http/connection_pool.hpp"
#include "engine/http/ip_address.hpp"

namespace lueng::http {

class Exchange;

// A virtual user's HTTP state: its connections (a ConnectionPool: keep-alive ones
// per authority, TLS sessions per authority) and the Exchanges that send on them.
// Each Exchange carries one request at a time; a Session carries as many Exchanges
// as are made on it, so parallel requests (http.batch) share one pool. send() uses
// the session's own Exchange. Not thread-safe; lives on its Client's loop.
class Session {
 public:
  explicit Session(Client& client);
  // Closes every connection; safe with a request in flight (no callback). Every
  // Exchange made on the session must be destroyed first.
  ~Session();
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  // Starts a request on the session's own Exchange (see Exchange::start; the
  // Session must not be busy()).
  void send(const Request& request, ResponseData& out, ResponseHandler* handler);
  // Whether the session's own Exchange has a request in flight.
  bool busy() const;

  // Abandons the request of every Exchange on the session (no handler is called)
  // and closes every connection, e.g. on shutdown. TLS sessions are kept.
  void close_all();

  Client& client() { return client_; }
  // The source address of the session's new connections (k6's localIPs); null,
  // the default, for the system's choice.
  void set_local_address(const sockaddr* address) {
    local_.assign(address);
    has_local_ = true;
  }
  const sockaddr* local_address() const { return has_local_ ? local_.get() : nullptr; }
  ConnectionPool& pool() { return pool_; }

 private:
  friend class Exchange;  // attaches itself for close_all()
  void attach(Exchange& exchange) { exchanges_.push_back(&exchange); }
  void detach(Exchange& exchange);

  Client& client_;
  ConnectionPool pool_;
  IpAddress local_;
  bool has_local_ = false;
  std::vector<Exchange*> exchanges_;
  std::unique_ptr<Exchange> own_;  // send()'s, made by its first call
};

}  // namespace lueng::http
