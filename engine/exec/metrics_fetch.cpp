#include "engine/exec/metrics_fetch.hpp"

#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>

#include <fmt/format.h>
#include <llhttp.h>

namespace lueng::exec {

namespace {

using Clock = std::chrono::steady_clock;

class Socket {
 public:
  explicit Socket(int fd) : fd_(fd) {}
  ~Socket() {
    if (fd_ >= 0) ::close(fd_);
  }
  Socket(const Socket&) = delete;
  Socket& operator=(const Socket&) = delete;
  int fd() const { return fd_; }

 private:
  int fd_;
};

struct Parsed {
  std::string body;
  bool complete = false;
  bool too_large = false;
};

int on_body(llhttp_t* parser, const char* at, size_t length) {
  auto* parsed = static_cast<Parsed*>(parser->data);
  if (parsed->body.size() + length > kMaxMetricsPage) {
    parsed->too_large = true;
    return HPE_USER;
  }
  parsed->body.append(at, length);
  return 0;
}

int on_complete(llhttp_t* parser) {
  static_cast<Parsed*>(parser->data)->complete = true;
  return HPE_PAUSED;
}

// Waits for `events` on fd until the deadline, in slices so that `stop` is seen.
// Empty when ready, else the reason.
std::string wait_for(int fd, short events, Clock::time_point deadline, double timeout_seconds,
                     const std::atomic<bool>& stop) {
  for (;;) {
    if (stop.load(std::memory_order_relaxed)) return "stopped";
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    if (left.count() <= 0) return fmt::format("timed out after {}s", timeout_seconds);
    pollfd p{fd, events, 0};
    int rc = ::poll(&p, 1, static_cast<int>(std::min<int64_t>(left.count(), 50)));
    if (rc > 0) return {};
    if (rc < 0 && errno != EINTR) return std::strerror(errno);
  }
}

}  // namespace

FetchResult fetch_metrics_page(const http::Url& url, double timeout_seconds,
                               const std::string& user_agent, const std::atomic<bool>& stop) {
  FetchResult result;
  const Clock::time_point deadline =
      Clock::now() + std::chrono::microseconds(static_cast<int64_t>(timeout_seconds * 1e6));
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  std::string port = std::to_string(url.port);
  if (int rc = getaddrinfo(url.host.c_str(), port.c_str(), &hints, &found); rc != 0 || !found) {
    result.error = fmt::format("cannot resolve {}: {}", url.host, gai_strerror(rc));
    return result;
  }
  Socket socket(::socket(found->ai_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0));
  int connected = socket.fd() < 0 ? -1 : ::connect(socket.fd(), found->ai_addr, found->ai_addrlen);
  int connect_errno = errno;
  freeaddrinfo(found);
  if (socket.fd() < 0) {
    result.error = std::strerror(connect_errno);
    return result;
  }
  if (connected != 0) {
    if (connect_errno != EINPROGRESS) {
      result.error = fmt::format("connect: {}", std::strerror(connect_errno));
      return result;
    }
    if (std::string why = wait_for(socket.fd(), POLLOUT, deadline, timeout_seconds, stop);
        !why.empty()) {
      result.error = "connect: " + why;
      return result;
    }
    int error = 0;
    socklen_t length = sizeof error;
    getsockopt(socket.fd(), SOL_SOCKET, SO_ERROR, &error, &length);
    if (error != 0) {
      result.error = fmt::format("connect: {}", std::strerror(error));
      return result;
    }
  }

  std::string request = fmt::format(
      "GET {} HTTP/1.1\r\nHost: {}\r\nUser-Agent: {}\r\n"
      "Accept: text/plain;version=0.0.4;q=1,*/*;q=0.1\r\nConnection: close\r\n\r\n",
      url.target, url.host_header, user_agent);
  size_t sent = 0;
  while (sent < request.size()) {
    ssize_t n = ::send(socket.fd(), request.data() + sent, request.size() - sent, MSG_NOSIGNAL);
    if (n > 0) {
      sent += static_cast<size_t>(n);
      continue;
    }
    if (n < 0 && errno != EAGAIN && errno != EINTR) {
      result.error = fmt::format("send: {}", std::strerror(errno));
      return result;
    }
    if (std::string why = wait_for(socket.fd(), POLLOUT, deadline, timeout_seconds, stop);
        !why.empty()) {
      result.error = "send: " + why;
      return result;
    }
  }

  llhttp_settings_t settings;
  llhttp_settings_init(&settings);
  settings.on_body = on_body;
  settings.on_message_complete = on_complete;
  llhttp_t parser;
  llhttp_init(&parser, HTTP_RESPONSE, &settings);
  Parsed parsed;
  parser.data = &parsed;
  char buffer[16384];
  for (;;) {
    if (std::string why = wait_for(socket.fd(), POLLIN, deadline, timeout_seconds, stop);
        !why.empty()) {
      result.error = "waiting for the page: " + why;
      return result;
    }
    ssize_t n = ::recv(socket.fd(), buffer, sizeof buffer, 0);
    if (n < 0) {
      if (errno == EAGAIN || errno == EINTR) continue;
      result.error = fmt::format("receive: {}", std::strerror(errno));
      return result;
    }
    llhttp_errno_t rc =
        n == 0 ? llhttp_finish(&parser) : llhttp_execute(&parser, buffer, static_cast<size_t>(n));
    if (parsed.too_large) {
      result.error = fmt::format("the page is larger than {} MiB", kMaxMetricsPage >> 20);
      return result;
    }
    if (parsed.complete) break;
    if (rc != HPE_OK) {
      result.error = fmt::format("not an HTTP response: {}", llhttp_get_error_reason(&parser)
                                                                 ? llhttp_get_error_reason(&parser)
                                                                 : llhttp_errno_name(rc));
      return result;
    }
    if (n == 0) {
      result.error = "the connection closed before the page was complete";
      return result;
    }
  }
  result.status = parser.status_code;
  if (result.status != 200) {
    result.error = fmt::format("status {}", result.status);
    return result;
  }
  result.body = std::move(parsed.body);
  result.ok = true;
  return result;
}

}  // namespace lueng::exec
