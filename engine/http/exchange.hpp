#pragma once

#include <cstdint>
#include <string>

#include "engine/http/connection.hpp"
#include "engine/http/dialer.hpp"
#include "engine/http/dns_cache.hpp"
#include "engine/http/session.hpp"
#include "engine/http/timer.hpp"

namespace lueng::http {

struct BlockLists;

// Carries one request at a time of a Session through its phases: take a ready
// connection from the session's pool, or resolve, dial (trying each address) and
// add one; send; enforce the overall timeout; retry once after a stale keep-alive
// connection; hand the result to the handler exactly once, never from inside
// start(). A Session carries as many Exchanges as its owner makes (http.batch
// runs one per parallel request), all sharing its connections.
//
// Made once and reused, so a request on a kept-alive connection allocates
// nothing. Must be destroyed before its Session.
class Exchange final : private DnsWaiter, private DialListener, private ConnectionListener {
 public:
  explicit Exchange(Session& session);
  ~Exchange();  // abandons the request in flight
  Exchange(const Exchange&) = delete;
  Exchange& operator=(const Exchange&) = delete;

  // Starts a request (the Exchange must not be busy()); `handler->on_response(out)`
  // is called exactly once, from a later loop callback. Failures (DNS, refused,
  // reset, timeout, malformed) come back as out.error_code != kNone.
  void start(const Request& request, ResponseData& out, ResponseHandler* handler);
  // Forgets the request in flight without calling its handler; the connection it
  // was on (or was dialing) is closed, the session's other connections stay.
  void abandon();
  bool busy() const { return phase_ != Phase::kIdle || delivery_pending_; }

 private:
  enum class Phase { kIdle, kResolving, kConnecting, kExchanging };

  static void on_timer(void* self);

  void acquire_connection();
  void connect_to(const AddressList& addresses);
  void connect_next();
  void add_connect_timings();
  void use_stream();
  void exchange_on(Connection& connection);
  void drop_active();
  void time_out();
  void fail(ErrorCode code, std::string_view message);
  // Fail the request when blockHostnames or blacklistIPs forbid the connect.
  bool host_blocked(const BlockLists& lists);
  bool address_blocked(const BlockLists& lists, const sockaddr* address);
  void finish();
  void deliver();

  void on_resolved(int status, const AddressList* addresses) override;
  void on_dialed(int status) override;
  void on_response_complete(Connection& connection, bool keep_alive) override;
  void on_exchange_failed(Connection& connection, bool retryable) override;

  Session& session_;
  Timer timer_;  // the request's timeout, and the deferred delivery of early results
  Dialer dialer_;
  Request request_;
  ResponseData* out_ = nullptr;
  ResponseHandler* handler_ = nullptr;
  std::string key_;  // the request's authority, "host:port"; capacity reused
  const AddressList* addresses_ = nullptr;
  SSL_CTX* tls_context_ = nullptr;  // for https: the context of the request's host
  Phase phase_ = Phase::kIdle;
  uint16_t key_port_ = 0;
  uint16_t connect_port_ = 0;     // the URL's, or a hosts entry's
  size_t first_address_ = 0;      // where in addresses_ the dial started
  size_t next_address_ = 0;       // how many addresses were tried
  Connection* active_ = nullptr;  // carrying the request (kExchanging)
  uint64_t start_ns_ = 0;
  bool retried_ = false;
  bool inside_start_ = false;
  bool delivery_pending_ = false;
};

}  // namespace lueng::http
