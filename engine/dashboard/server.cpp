#include "engine/dashboard/server.hpp"

#include <algorithm>
#include <charconv>
#include <cstring>

#include "engine/dashboard/page.hpp"
#include "engine/dashboard/request_head.hpp"

namespace lueng::dashboard {

namespace {
// How long serve_for() waits for the streams to take what is queued for them.
constexpr uint64_t kDrainMs = 2000;
constexpr size_t kReadBufferBytes = 16 * 1024;
}  // namespace

struct Connection {
  uv_tcp_t tcp;
  Server* server = nullptr;
  RequestHead head;
  uint64_t accepted_ms = 0;
  bool answered = false;
  bool streaming = false;  // an /events stream: gets every event until closed
  bool closing = false;
};

// One write: owns (shares, for a broadcast) its bytes until libuv is done with them.
struct Write {
  uv_write_t request;
  std::shared_ptr<const std::string> bytes;
  bool close_after = false;
};

namespace {

std::string path_of(const std::string& target) {
  return target.substr(0, target.find('?'));
}

std::string response_head(const char* status, const char* type, size_t length) {
  std::string head = std::string("HTTP/1.1 ") + status + "\r\nContent-Type: " + type;
  if (length != std::string::npos) head += "\r\nContent-Length: " + std::to_string(length);
  // The page loads nothing from anywhere: inline script and style, and only its
  // own /events to connect to.
  head +=
      "\r\nCache-Control: no-store\r\nX-Content-Type-Options: nosniff\r\n"
      "Content-Security-Policy: default-src 'none'; script-src 'unsafe-inline'; style-src "
      "'unsafe-inline'; img-src data:; connect-src 'self'\r\n";
  head +=
      length == std::string::npos ? "Connection: keep-alive\r\n\r\n" : "Connection: close\r\n\r\n";
  return head;
}

std::string event(const std::string& name, const std::string& json) {
  return "event: " + name + "\ndata: " + json + "\n\n";
}

std::string plain_answer(const char* status, const std::string& text) {
  return response_head(status, "text/plain; charset=utf-8", text.size() + 1) + text + "\n";
}

}  // namespace

std::unique_ptr<Server> Server::listen(const std::string& host, int port, std::string* error) {
  std::unique_ptr<Server> server(new Server());
  if (int status = uv_loop_init(&server->loop_); status != 0) {
    *error = uv_strerror(status);
    (void)server.release();  // nothing to close, and no loop to run: a few bytes lost
    return nullptr;
  }
  uv_tcp_init(&server->loop_, &server->listener_);
  uv_timer_init(&server->loop_, &server->sweep_);
  server->listener_.data = server.get();
  server->sweep_.data = server.get();
  sockaddr_storage address{};
  int status = host.find(':') == std::string::npos
                   ? uv_ip4_addr(host.c_str(), port, reinterpret_cast<sockaddr_in*>(&address))
                   : uv_ip6_addr(host.c_str(), port, reinterpret_cast<sockaddr_in6*>(&address));
  if (status == 0)
    status = uv_tcp_bind(&server->listener_, reinterpret_cast<const sockaddr*>(&address), 0);
  if (status == 0)
    status = uv_listen(reinterpret_cast<uv_stream_t*>(&server->listener_), 64, on_connection);
  if (status != 0) {
    *error = uv_strerror(status);
    return nullptr;  // the destructor closes the handles
  }
  sockaddr_storage bound{};
  int length = sizeof(bound);
  uv_tcp_getsockname(&server->listener_, reinterpret_cast<sockaddr*>(&bound), &length);
  server->port_ =
      ntohs(bound.ss_family == AF_INET6 ? reinterpret_cast<sockaddr_in6*>(&bound)->sin6_port
                                        : reinterpret_cast<sockaddr_in*>(&bound)->sin_port);
  uv_timer_start(&server->sweep_, on_sweep, 1000, 1000);
  // Registers the listener with the loop's backend, which from now on becomes
  // readable when a client connects: what the main loop polls.
  uv_run(&server->loop_, UV_RUN_NOWAIT);
  return server;
}

Server::~Server() {
  close_all();
  uv_run(&loop_, UV_RUN_DEFAULT);
  uv_loop_close(&loop_);
}

void Server::close_all() {
  if (closed_) return;
  closed_ = true;
  while (!connections_.empty()) drop(*connections_.back());
  uv_close(reinterpret_cast<uv_handle_t*>(&listener_), nullptr);
  uv_close(reinterpret_cast<uv_handle_t*>(&sweep_), nullptr);
}

void Server::drop(Connection& connection) {
  if (connection.closing) return;
  connection.closing = true;
  connections_.erase(std::find(connections_.begin(), connections_.end(), &connection));
  uv_close(reinterpret_cast<uv_handle_t*>(&connection.tcp),
           [](uv_handle_t* handle) { delete static_cast<Connection*>(handle->data); });
}

void Server::on_connection(uv_stream_t* listener, int status) {
  auto* self = static_cast<Server*>(listener->data);
  if (status != 0 || self->closed_) return;
  auto* connection = new Connection();
  connection->server = self;
  connection->tcp.data = connection;
  uv_tcp_init(&self->loop_, &connection->tcp);
  auto* stream = reinterpret_cast<uv_stream_t*>(&connection->tcp);
  if (uv_accept(listener, stream) != 0 || self->connections_.size() >= kMaxConnections) {
    // Over the bound: closed at once, which also takes it out of the backlog.
    uv_close(reinterpret_cast<uv_handle_t*>(&connection->tcp),
             [](uv_handle_t* handle) { delete static_cast<Connection*>(handle->data); });
    return;
  }
  connection->accepted_ms = uv_now(&self->loop_);
  self->connections_.push_back(connection);
  uv_read_start(stream, on_alloc, on_read);
}

void Server::on_alloc(uv_handle_t*, size_t, uv_buf_t* buf) {
  // One buffer for every read: each is consumed before the next read.
  static char buffer[kReadBufferBytes];
  *buf = uv_buf_init(buffer, sizeof(buffer));
}

void Server::on_read(uv_stream_t* stream, ssize_t nread, const uv_buf_t* buf) {
  auto& connection = *static_cast<Connection*>(stream->data);
  Server& server = *connection.server;
  if (nread < 0) {
    server.drop(connection);
    return;
  }
  if (connection.answered) return;  // what follows the head is not read
  if (connection.head.feed(buf->base, static_cast<size_t>(nread)) != RequestHead::Result::kNeedMore)
    server.answer(connection);
}

void Server::on_written(uv_write_t* request, int status) {
  auto* write = static_cast<Write*>(request->data);
  auto* connection = static_cast<Connection*>(request->handle->data);
  if (status != UV_ECANCELED && (status < 0 || write->close_after))
    connection->server->drop(*connection);
  delete write;
}

// Drops the connections whose request head has not come in time, and those
// that have not taken their answer (a page, an error) in kAnswerTimeoutSeconds:
// a slow or silent client holds no slot for long.
void Server::on_sweep(uv_timer_t* timer) {
  auto* self = static_cast<Server*>(timer->data);
  uint64_t now = uv_now(&self->loop_);
  auto head_late = static_cast<uint64_t>(kHeadTimeoutSeconds * 1000);
  auto answer_late = static_cast<uint64_t>(kAnswerTimeoutSeconds * 1000);
  std::vector<Connection*> expired;
  for (Connection* c : self->connections_)
    if ((!c->answered && now - c->accepted_ms >= head_late) ||
        (!c->streaming && now - c->accepted_ms >= answer_late))
      expired.push_back(c);
  for (Connection* c : expired) self->drop(*c);
}

void Server::answer(Connection& connection) {
  connection.answered = true;
  const RequestHead& head = connection.head;
  auto reply = [&](std::string bytes) {
    send(connection, std::make_shared<const std::string>(std::move(bytes)));
  };
  if (head.error_status() == 431)
    return reply(plain_answer("431 Request Header Fields Too Large", head.error_message()));
  if (head.error_status() != 0) return reply(plain_answer("400 Bad Request", head.error_message()));
  // A page that a DNS name rebound to this address would be read by that name's
  // site: only requests for an address or localhost are answered.
  if (!is_address_host(head.host()))
    return reply(plain_answer("403 Forbidden",
                              "the dashboard answers requests for an IP address "
                              "or localhost only"));
  bool get = head.method() == "GET", only_head = head.method() == "HEAD";
  if (!get && !only_head) return reply(plain_answer("405 Method Not Allowed", "only GET"));
  std::string path = path_of(head.target());
  if (path == "/" || path == "/index.html") {
    std::string page = render_page(latest_);
    std::string bytes = response_head("200 OK", "text/html; charset=utf-8", page.size());
    if (get) bytes += page;
    return reply(std::move(bytes));
  }
  if (path == "/events" && get) {
    connection.streaming = true;
    std::string bytes = response_head("200 OK", "text/event-stream", std::string::npos);
    bytes += "retry: 2000\n\n";
    if (!latest_.empty()) bytes += event(final_ ? "final" : "snapshot", latest_);
    return send(connection, std::make_shared<const std::string>(std::move(bytes)));
  }
  reply(plain_answer("404 Not Found", "the dashboard serves / and /events"));
}

void Server::send(Connection& connection, std::shared_ptr<const std::string> bytes) {
  if (connection.closing) return;
  auto* stream = reinterpret_cast<uv_stream_t*>(&connection.tcp);
  if (uv_stream_get_write_queue_size(stream) > kMaxQueuedBytes) {
    drop(connection);  // a client that does not read its stream
    return;
  }
  auto* write = new Write{{}, std::move(bytes), !connection.streaming};
  write->request.data = write;
  uv_buf_t buf = uv_buf_init(const_cast<char*>(write->bytes->data()),
                             static_cast<unsigned>(write->bytes->size()));
  if (uv_write(&write->request, stream, &buf, 1, on_written) != 0) {
    delete write;
    drop(connection);
  }
}

void Server::broadcast(const std::string& name, const std::string& json) {
  auto bytes = std::make_shared<const std::string>(event(name, json));
  std::vector<Connection*> streams;
  for (Connection* c : connections_)
    if (c->streaming) streams.push_back(c);
  for (Connection* c : streams) send(*c, bytes);
}

void Server::publish(const std::string& json) {
  if (final_ || closed_) return;
  latest_ = json;
  broadcast("snapshot", json);
}

void Server::finish(const std::string& json) {
  if (closed_) return;
  final_ = true;
  latest_ = json;
  broadcast("final", json);
}

void Server::serve_for(double seconds, int stop_fd) {
  if (closed_) return;
  uv_timer_t linger;
  uv_poll_t stop;
  uv_timer_init(&loop_, &linger);
  linger.data = &loop_;
  if (seconds > 0) {
    uv_timer_start(
        &linger, [](uv_timer_t* timer) { uv_stop(static_cast<uv_loop_t*>(timer->data)); },
        static_cast<uint64_t>(seconds * 1000), 0);
    bool polling = stop_fd >= 0 && uv_poll_init(&loop_, &stop, stop_fd) == 0;
    if (polling) {
      stop.data = &loop_;
      uv_poll_start(&stop, UV_READABLE, [](uv_poll_t* poll, int, int) {
        uv_stop(static_cast<uv_loop_t*>(poll->data));
      });
    }
    uv_run(&loop_, UV_RUN_DEFAULT);
    if (polling) uv_close(reinterpret_cast<uv_handle_t*>(&stop), nullptr);
  }
  uv_close(reinterpret_cast<uv_handle_t*>(&linger), nullptr);
  // The streams take what is queued for them (the final event), within a bound.
  uint64_t until = uv_now(&loop_) + kDrainMs;
  auto queued = [this] {
    for (Connection* c : connections_)
      if (uv_stream_get_write_queue_size(reinterpret_cast<uv_stream_t*>(&c->tcp)) > 0) return true;
    return false;
  };
  while (queued() && uv_now(&loop_) < until) uv_run(&loop_, UV_RUN_ONCE);
  close_all();
  uv_run(&loop_, UV_RUN_DEFAULT);
}

std::string parse_address(const std::string& text, std::string* host, int* port) {
  *host = kDefaultHost;
  *port = kDefaultPort;
  if (text.empty()) return "";
  std::string port_text;
  if (text.front() == '[') {
    size_t close = text.find(']');
    if (close == std::string::npos) return "'" + text + "': an IPv6 address ends with ']'";
    *host = text.substr(1, close - 1);
    if (close + 1 < text.size()) {
      if (text[close + 1] != ':') return "'" + text + "': expected [IPv6]:PORT";
      port_text = text.substr(close + 2);
    }
  } else if (size_t colon = text.rfind(':'); colon == std::string::npos) {
    *host = text;
  } else if (text.find(':') != colon) {
    return "'" + text + "': write an IPv6 address in brackets, as [::1]:5665";
  } else {
    if (colon > 0) *host = text.substr(0, colon);
    port_text = text.substr(colon + 1);
  }
  if (*host == "localhost") *host = kDefaultHost;
  sockaddr_in6 ip6{};
  sockaddr_in ip4{};
  if (uv_ip4_addr(host->c_str(), 0, &ip4) != 0 && uv_ip6_addr(host->c_str(), 0, &ip6) != 0)
    return "'" + *host + "' is not an IP address (e.g. 127.0.0.1, 0.0.0.0, [::1])";
  if (port_text.empty() && text.back() == ':') return "'" + text + "': the port is missing";
  if (!port_text.empty()) {
    int value = -1;
    auto [end, ec] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), value);
    if (ec != std::errc() || end != port_text.data() + port_text.size() || value < 0 ||
        value > 65535)
      return "'" + port_text + "' is not a port (0 to 65535; 0 picks a free one)";
    *port = value;
  }
  return "";
}

bool is_address_host(const std::string& header) {
  if (header.empty()) return true;  // HTTP/1.0 sends none
  std::string host = header;
  if (host.front() == '[') {
    size_t close = host.find(']');
    if (close == std::string::npos) return false;
    if (close + 1 < host.size() && host[close + 1] != ':') return false;
    host = host.substr(1, close - 1);
  } else if (size_t colon = host.find(':'); colon != std::string::npos) {
    host.resize(colon);
  }
  if (host == "localhost") return true;
  sockaddr_in ip4{};
  sockaddr_in6 ip6{};
  return uv_ip4_addr(host.c_str(), 0, &ip4) == 0 || uv_ip6_addr(host.c_str(), 0, &ip6) == 0;
}

bool is_loopback(const std::string& host) {
  sockaddr_in ip4{};
  if (uv_ip4_addr(host.c_str(), 0, &ip4) == 0) return (ntohl(ip4.sin_addr.s_addr) >> 24) == 127;
  sockaddr_in6 ip6{};
  if (uv_ip6_addr(host.c_str(), 0, &ip6) != 0) return false;
  static const unsigned char loopback[16] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
  if (std::memcmp(ip6.sin6_addr.s6_addr, loopback, 16) == 0) return true;
  static const unsigned char mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
  return std::memcmp(ip6.sin6_addr.s6_addr, mapped, 12) == 0 && ip6.sin6_addr.s6_addr[12] == 127;
}

}  // namespace lueng::dashboard
