#include "engine/http/exchange.hpp"

#include <algorithm>
#include <cassert>
#include <charconv>
#include <cmath>
#include <cstring>

#include "engine/http/net_error.hpp"
#include "engine/http/tls_context.hpp"
#include "engine/http/tls_error.hpp"

namespace lueng::http {

namespace {

double milliseconds_since(uint64_t start_ns) {
  return static_cast<double>(uv_hrtime() - start_ns) / 1e6;
}

double milliseconds_between(uint64_t start_ns, uint64_t end_ns) {
  return end_ns > start_ns ? static_cast<double>(end_ns - start_ns) / 1e6 : 0.0;
}

uint64_t timeout_milliseconds(double seconds) {
  // At least 1 ms so a tiny timeout still lets the loop run once; capped at a year
  // so the conversion cannot overflow.
  return static_cast<uint64_t>(std::clamp(std::ceil(seconds * 1000.0), 1.0, 3.2e10));
}

void build_authority(std::string& out, const Url& url) {
  out.clear();
  bool ipv6 = url.host.find(':') != std::string::npos;
  if (ipv6) out += '[';
  out += url.host;
  if (ipv6) out += ']';
  out += ':';
  char digits[8];
  auto end = std::to_chars(digits, digits + sizeof(digits), url.port).ptr;
  out.append(digits, end);
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

Session::Exchange::Exchange(Session& session)
    : session_(session), timer_(session.client_.loop(), on_timer, this) {}

void Session::Exchange::start(const Request& request, ResponseData& out, ResponseHandler* handler) {
  assert(!busy() && "one request at a time per Session");
  out.clear();
  request_ = request;
  out_ = &out;
  handler_ = handler;
  retried_ = false;
  start_ns_ = uv_hrtime();
  if (request.timeout_seconds > 0) timer_.start(timeout_milliseconds(request.timeout_seconds));

  // Anything that finishes the request before start() returns (bad URL, a write
  // failing at once) is delivered from the timer on the next loop iteration.
  inside_start_ = true;
  if (!request.url) {
    fail(ErrorCode::kInvalidUrl, "invalid URL: the request has none");
  } else {
    acquire_connection();
  }
  inside_start_ = false;
  if (delivery_pending_) timer_.start(0);
}

void Session::Exchange::abandon() {
  if (phase_ == Phase::kResolving) session_.client_.dns().cancel(*this);
  timer_.stop();
  phase_ = Phase::kIdle;
  delivery_pending_ = false;
  connecting_ = nullptr;
  addresses_ = nullptr;
  out_ = nullptr;
  handler_ = nullptr;
}

void Session::Exchange::on_timer(void* self) {
  auto& exchange = *static_cast<Exchange*>(self);
  if (exchange.delivery_pending_) {
    exchange.deliver();
  } else {
    exchange.time_out();
  }
}

void Session::Exchange::acquire_connection() {
  const Url& url = *request_.url;
  build_authority(key_, url);
  auto found = session_.connections_.find(key_);
  if (found != session_.connections_.end()) {
    Connection& connection = *found->second;
    if (connection.idle()) {
      out_->timings.blocked = milliseconds_since(start_ns_);
      exchange_on(connection);
      return;
    }
    session_.connections_.erase(found);  // cannot happen: only idle ones stay pooled
  }
  DnsCache& dns = session_.client_.dns();
  if (const AddressList* addresses = dns.find(url.host)) {
    connect_to(*addresses);
    return;
  }
  phase_ = Phase::kResolving;
  int status = dns.resolve(url.host, *this);
  if (status < 0) on_resolved(status, nullptr);
}

void Session::Exchange::on_resolved(int status, const AddressList* addresses) {
  if (status < 0 || !addresses) {
    out_->timings.blocked = milliseconds_since(start_ns_);
    set_dns_error(*out_, request_.url->host, status);
    finish();
    return;
  }
  connect_to(*addresses);
}

void Session::Exchange::connect_to(const AddressList& addresses) {
  out_->timings.blocked = milliseconds_since(start_ns_);
  out_->timings.connecting = 0;
  tls_context_ = nullptr;
  if (request_.url->tls()) {
    std::string error;
    tls_context_ = session_.client_.tls().for_host(request_.url->host, &error);
    if (!tls_context_) {
      fail(ErrorCode::kTlsGeneric, error);
      return;
    }
  }
  addresses_ = &addresses;
  next_address_ = 0;
  connect_next();
}

void Session::Exchange::connect_next() {
  sockaddr_storage address = with_port((*addresses_)[next_address_++], request_.url->port);
  ConnectionListener& listener = *this;  // the base is private: convert here, not in make_unique
  TlsTarget tls;
  if (tls_context_) {
    tls.context = tls_context_;
    tls.host = &request_.url->host;
    tls.session_slot = &session_.tls_sessions_.try_emplace(key_).first->second;
  }
  auto connection = std::make_unique<Connection>(session_.client_, listener,
                                                 reinterpret_cast<sockaddr*>(&address),
                                                 tls_context_ ? &tls : nullptr);
  Connection& created = *connection;
  // Replaces (and so closes) the connection of a previous address that failed.
  session_.connections_.insert_or_assign(key_, std::move(connection));
  phase_ = Phase::kConnecting;
  connecting_ = &created;
  connect_start_ns_ = uv_hrtime();
  int status = created.connect();
  if (status < 0) on_connected(created, status);
}

void Session::Exchange::on_connected(Connection& connection, int status) {
  add_connect_timings(connection);
  connecting_ = nullptr;
  if (status == 0) {
    exchange_on(connection);
    return;
  }
  if (status == Stream::kTlsFailed) {  // another address would present the same certificate
    set_tls_handshake_error(*out_, key_, *connection.tls());
    drop(connection);
    finish();
    return;
  }
  // "localhost" may resolve to ::1 first while the server listens on 127.0.0.1 only.
  if (next_address_ < addresses_->size()) {
    connect_next();
    return;
  }
  set_dial_error(*out_, connection.remote(), status);
  drop(connection);
  finish();
}

// TCP connect and TLS handshake of the connection just made (k6 counts a
// handshake in http_req_tls_handshaking, not in http_req_connecting).
void Session::Exchange::add_connect_timings(const Connection& connection) {
  uint64_t now = uv_hrtime();
  const TlsInfo* tls = connection.tls();
  if (!tls || !tls->handshake_start_ns) {
    out_->timings.connecting += milliseconds_between(connect_start_ns_, now);
    return;
  }
  out_->timings.connecting += milliseconds_between(connect_start_ns_, tls->handshake_start_ns);
  uint64_t end = tls->handshake_end_ns ? tls->handshake_end_ns : now;
  out_->timings.tls_handshaking = milliseconds_between(tls->handshake_start_ns, end);
}

void Session::Exchange::exchange_on(Connection& connection) {
  phase_ = Phase::kExchanging;
  session_.active_ = &connection;
  connection.send(request_, session_.client_.user_agent(), *out_);
}

void Session::Exchange::on_response_complete(Connection& connection, bool keep_alive) {
  if (!keep_alive) drop(connection);
  finish();
}

void Session::Exchange::on_exchange_failed(Connection& connection, bool retryable) {
  drop(connection);
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

void Session::Exchange::on_idle_closed(Connection& connection) {
  drop(connection);
}

void Session::Exchange::drop(Connection& connection) {
  if (session_.active_ == &connection) session_.active_ = nullptr;
  if (connecting_ == &connection) connecting_ = nullptr;
  auto& pool = session_.connections_;
  auto found = std::find_if(pool.begin(), pool.end(),
                            [&](const auto& entry) { return entry.second.get() == &connection; });
  if (found != pool.end()) pool.erase(found);
}

void Session::Exchange::time_out() {
  switch (phase_) {
    case Phase::kIdle:
      return;
    case Phase::kResolving:
      session_.client_.dns().cancel(*this);
      out_->timings.blocked = milliseconds_since(start_ns_);
      set_error(*out_, ErrorCode::kRequestTimeout, "request timeout");
      break;
    case Phase::kConnecting:
      add_connect_timings(*connecting_);
      if (connecting_->tls() && connecting_->tls()->handshake_start_ns)
        set_error(*out_, ErrorCode::kRequestTimeout, "tls handshake timeout");
      else
        set_dial_timeout(*out_, connecting_->remote());
      drop(*connecting_);
      break;
    case Phase::kExchanging:
      set_error(*out_, ErrorCode::kRequestTimeout, "request timeout");
      session_.active_->abort_exchange();
      drop(*session_.active_);
      break;
  }
  finish();
}

void Session::Exchange::fail(ErrorCode code, std::string_view message) {
  set_error(*out_, code, message);
  finish();
}

void Session::Exchange::finish() {
  timer_.stop();
  phase_ = Phase::kIdle;
  session_.active_ = nullptr;
  connecting_ = nullptr;
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

void Session::Exchange::deliver() {
  delivery_pending_ = false;
  ResponseHandler* handler = handler_;
  ResponseData* out = out_;
  handler_ = nullptr;
  out_ = nullptr;
  // Last statement: the handler may send the next request or destroy the Session.
  if (handler) handler->on_response(*out);
}

}  // namespace lueng::http
