#include "engine/http/exchange.hpp"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <cstring>

#include "engine/http/block_lists.hpp"
#include "engine/http/net_error.hpp"
#include "engine/http/protocols.hpp"
#include "engine/http/tls_context.hpp"
#include "engine/http/tls_error.hpp"

namespace lueng::http {

namespace {

// Whether `authority` (Url::authority_into's "host:port", "[v6]:port") was made
// of `host`: key_ is compared in place rather than beside a copy of its host,
// which every VU's exchange would carry.
bool authority_has_host(const std::string& authority, std::string_view host) {
  size_t offset = authority[0] == '[' ? 1 : 0;  // "" has its terminating NUL there
  size_t end = offset + host.size();
  return end < authority.size() && authority[end] == (offset ? ']' : ':') &&
         std::memcmp(authority.data() + offset, host.data(), host.size()) == 0;
}

double milliseconds_since(uint64_t start_ns) {
  return static_cast<double>(uv_hrtime() - start_ns) / 1e6;
}

uint64_t timeout_nanoseconds(double seconds) {
  // At least 1 ms so a tiny timeout still lets the loop run once; capped at a year
  // so the conversion cannot overflow.
  return static_cast<uint64_t>(std::clamp(std::ceil(seconds * 1000.0), 1.0, 3.2e10)) * 1'000'000;
}

sockaddr_storage with_port(const sockaddr_storage& address, uint16_t port) {
  sockaddr_storage result = address;
  if (result.ss_family == AF_INET6) {
    reinterpret_cast<sockaddr_in6*>(&result)->sin6_port = htons(port);
  } else {
    reinterpret_cast<sockaddr_in*>(&result)->sin_port = htons(port);
  }
  return result;
}

// A request that failed after its status line (timeout, reset, malformed or cut
// body, a body that does not decode) is a failed request, as in k6: status 0, so
// that it counts in http_req_failed and its samples carry status=0, and no
// headers, so that nothing of an incomplete answer (its cookies included) is
// taken for real. What arrived of the body stays readable.
void forget_response(ResponseData& out) {
  out.status = 0;
  out.headers.clear();
  out.header_bytes.clear();
}

}  // namespace

Exchange::Exchange(Session& session)
    : session_(session), timer_(session.client().loop(), on_timer, this) {
  session_.attach(*this);
}

Exchange::~Exchange() {
  abandon();
  session_.detach(*this);
}

void Exchange::start(const Request& request, ResponseData& out, ResponseHandler* handler) {
  assert(!busy() && "one request at a time per Exchange");
  out.clear();
  request_ = request;
  out_ = &out;
  handler_ = handler;
  retried_ = false;
  start_ns_ = uv_hrtime();
  if (request.timeout_seconds > 0)
    timer_.set_deadline(start_ns_ + timeout_nanoseconds(request.timeout_seconds), start_ns_);

  // Anything that finishes the request before start() returns (bad URL, a write
  // failing at once) is delivered from the timer on the next loop iteration.
  inside_start_ = true;
  if (!request.url) {
    fail(ErrorCode::kInvalidUrl, "invalid URL: the request has none");
  } else {
    acquire_connection();
  }
  inside_start_ = false;
  if (delivery_pending_) timer_.fire_soon();
}

void Exchange::abandon() {
  if (phase_ == Phase::kResolving) session_.client().dns().cancel(*this);
  timer_.stop();
  dialer_.reset();
  if (active_) drop_active();  // it still carries our request: no one else may use it
  phase_ = Phase::kIdle;
  delivery_pending_ = false;
  addresses_ = nullptr;
  out_ = nullptr;
  handler_ = nullptr;
}

void Exchange::on_timer(void* self) {
  auto& exchange = *static_cast<Exchange*>(self);
  if (exchange.delivery_pending_) {
    exchange.deliver();
  } else {
    exchange.time_out();
  }
}

void Exchange::acquire_connection() {
  const Url& url = *request_.url;
  // Formatted only when the host or port changed: scripts send request after
  // request to one host, and comparing costs less than formatting.
  if (url.port != key_port_ || !authority_has_host(key_, url.host)) {
    url.authority_into(key_);
    key_port_ = url.port;
  }
  if (Connection* ready = session_.pool().find_ready(key_)) {
    // A connection ready at once is no wait: blocked stays 0 (the look-up's
    // fraction of a microsecond is lueng's own time, and a clock read costs as much).
    exchange_on(*ready);
    return;
  }
  if (const BlockLists* blocked = session_.client().block_lists();
      blocked && !blocked->hosts.empty())
    if (host_blocked(*blocked)) return;
  connect_port_ = url.port;
  if (const HostMap* hosts = session_.client().host_map()) [[unlikely]] {
    if (const HostMapping* mapped = hosts->find(url.host, url.port)) {
      if (mapped->to_port) connect_port_ = mapped->to_port;
      connect_to(mapped->address);
      return;
    }
  }
  DnsCache& dns = session_.client().dns();
  if (const AddressList* addresses = dns.find(url.host)) {
    connect_to(*addresses);
    return;
  }
  phase_ = Phase::kResolving;
  int status = dns.resolve(url.host, *this);
  if (status < 0) on_resolved(status, nullptr);
}

// As k6, before the lookup (and before the hosts option).
bool Exchange::host_blocked(const BlockLists& lists) {
  const std::string& host = request_.url->host;
  const std::string* pattern = lists.blocked_host(host);
  if (!pattern) return false;
  out_->timings.blocked = milliseconds_since(start_ns_);
  fail(ErrorCode::kBlockedHostname, blocked_host_message(host, *pattern));
  return true;
}

bool Exchange::address_blocked(const BlockLists& lists, const sockaddr* address) {
  const IpNet* net = lists.blocked_ip(address);
  if (!net) return false;
  dialer_.reset();  // the stream of an address tried before, if any
  fail(ErrorCode::kBlacklistedIp, blacklisted_ip_message(address, *net));
  return true;
}

void Exchange::on_resolved(int status, const AddressList* addresses) {
  if (status < 0 || !addresses) {
    out_->timings.blocked = milliseconds_since(start_ns_);
    set_dns_error(*out_, request_.url->host, status);
    finish();
    return;
  }
  connect_to(*addresses);
}

void Exchange::connect_to(const AddressList& addresses) {
  out_->timings.blocked = milliseconds_since(start_ns_);
  out_->timings.connecting = 0;
  tls_context_ = nullptr;
  if (request_.url->tls()) {
    std::string error;
    tls_context_ = session_.client().tls().for_host(request_.url->host, &error);
    if (!tls_context_) {
      fail(ErrorCode::kTlsGeneric, error);
      return;
    }
  }
  addresses_ = &addresses;
  first_address_ = session_.client().dns().choose(request_.url->host, addresses.size());
  next_address_ = 0;
  connect_next();
}

void Exchange::connect_next() {
  // From the address the dns option's select chose, then the others in turn. A
  // new answer may have replaced the list meanwhile: the index wraps within it.
  const AddressList& addresses = *addresses_;
  sockaddr_storage address =
      with_port(addresses[(first_address_ + next_address_++) % addresses.size()], connect_port_);
  // As k6, the address chosen is checked, and a blocked one fails the request
  // rather than letting another address of the answer be tried.
  if (const BlockLists* blocked = session_.client().block_lists(); blocked && !blocked->ips.empty())
    if (address_blocked(*blocked, reinterpret_cast<sockaddr*>(&address))) return;
  TlsTarget tls;
  if (tls_context_) {
    tls.context = tls_context_;
    tls.host = &request_.url->host;
    tls.session_slot = &session_.pool().tls_session(key_);
  }
  phase_ = Phase::kConnecting;
  DialListener& listener = *this;  // the base is private: convert here
  // Closes the stream of a previous address that failed.
  int status = dialer_.start(session_.client(), reinterpret_cast<sockaddr*>(&address),
                             tls_context_ ? &tls : nullptr, listener, session_.local_address());
  if (status < 0) on_dialed(status);
}

void Exchange::on_dialed(int status) {
  add_connect_timings();
  if (status == 0) {
    use_stream();
    return;
  }
  if (status == Stream::kTlsFailed) {  // another address would present the same certificate
    set_tls_handshake_error(*out_, key_, *dialer_.tls());
    dialer_.reset();
    finish();
    return;
  }
  // "localhost" may resolve to ::1 first while the server listens on 127.0.0.1 only.
  if (next_address_ < addresses_->size()) {
    connect_next();
    return;
  }
  set_dial_error(*out_, dialer_.remote(), status);
  dialer_.reset();
  finish();
}

// TCP connect and TLS handshake of the connection just dialed (k6 counts a
// handshake in http_req_tls_handshaking, not in http_req_connecting).
void Exchange::add_connect_timings() {
  uint64_t now = uv_hrtime();
  uint64_t start = dialer_.start_ns();
  const TlsInfo* tls = dialer_.tls();
  if (!tls || !tls->handshake_start_ns) {
    out_->timings.connecting += milliseconds_between(start, now);
    return;
  }
  out_->timings.connecting += milliseconds_between(start, tls->handshake_start_ns);
  uint64_t end = tls->handshake_end_ns ? tls->handshake_end_ns : now;
  out_->timings.tls_handshaking = milliseconds_between(tls->handshake_start_ns, end);
}

// The dialed stream gets the connection of the protocol its handshake agreed on.
void Exchange::use_stream() {
  ConnectionPool& pool = session_.pool();
  std::unique_ptr<Connection> connection = make_connection(
      dialer_.protocol(), dialer_.take_stream(), dialer_.remote(), pool.idle_listener());
  if (!connection) {  // OpenSSL refuses a protocol it did not offer: cannot happen
    fail(ErrorCode::kTlsGeneric, "tls: the server chose a protocol that was not offered");
    return;
  }
  exchange_on(pool.add(key_, std::move(connection)));
}

void Exchange::exchange_on(Connection& connection) {
  phase_ = Phase::kExchanging;
  active_ = &connection;
  out_->remote = connection.peer();
  connection.send(request_, session_.client().user_agent(), *out_, *this);
}

void Exchange::on_response_complete(Connection& connection, bool keep_alive) {
  active_ = nullptr;
  if (!keep_alive) session_.pool().drop(connection);
  finish();
}

void Exchange::on_exchange_failed(Connection& connection, bool retryable) {
  active_ = nullptr;
  session_.pool().drop(connection);
  if (retryable && !retried_) {
    retried_ = true;
    uint64_t bytes_sent = out_->bytes_sent;  // the lost attempt did go on the wire
    out_->clear();
    out_->bytes_sent = bytes_sent;
    acquire_connection();
    return;
  }
  finish();
}

void Exchange::drop_active() {
  Connection* connection = active_;
  active_ = nullptr;
  session_.pool().drop(*connection);
}

void Exchange::time_out() {
  switch (phase_) {
    case Phase::kIdle:
      return;
    case Phase::kResolving:
      session_.client().dns().cancel(*this);
      out_->timings.blocked = milliseconds_since(start_ns_);
      set_error(*out_, ErrorCode::kRequestTimeout, "request timeout");
      break;
    case Phase::kConnecting:
      add_connect_timings();
      if (dialer_.tls() && dialer_.tls()->handshake_start_ns)
        set_error(*out_, ErrorCode::kRequestTimeout, "tls handshake timeout");
      else
        set_dial_timeout(*out_, dialer_.remote());
      dialer_.reset();
      break;
    case Phase::kExchanging:
      set_error(*out_, ErrorCode::kRequestTimeout, "request timeout");
      active_->abort_exchange(*this);
      drop_active();
      break;
  }
  finish();
}

void Exchange::fail(ErrorCode code, std::string_view message) {
  set_error(*out_, code, message);
  finish();
}

void Exchange::finish() {
  timer_.clear();
  phase_ = Phase::kIdle;
  active_ = nullptr;
  addresses_ = nullptr;
  if (out_->error_code != ErrorCode::kNone) forget_response(*out_);
  Timings& timings = out_->timings;
  timings.duration = timings.sending + timings.waiting + timings.receiving;
  if (is_tls_error(out_->error_code)) log_tls_failure_once(key_, out_->error);
  if (inside_start_) {
    delivery_pending_ = true;
    return;
  }
  deliver();
}

void Exchange::deliver() {
  delivery_pending_ = false;
  ResponseHandler* handler = handler_;
  ResponseData* out = out_;
  handler_ = nullptr;
  out_ = nullptr;
  // Last statement: the handler may send the next request or destroy the Session.
  if (handler) handler->on_response(*out);
}

}  // namespace lueng::http
