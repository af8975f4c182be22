#pragma once

// A scripted raw-TCP server on 127.0.0.1 for the HTTP client tests: a thread that
// accepts connections one after another and runs a script on each, so a test says
// exactly which bytes go out, how fast, and when the socket closes.

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cctype>
#include <chrono>
#include <cstring>
#include <functional>
#include <mutex>
#include <stdexcept>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace lueng::http::testing {

class TestServer;

// The server's side of one accepted connection.
class Peer {
 public:
  Peer(TestServer& server, int fd) : server_(server), fd_(fd) {}
  ~Peer() { close(); }
  Peer(const Peer&) = delete;
  Peer& operator=(const Peer&) = delete;

  // Reads a request head up to the blank line, leaving any body unread.
  std::string read_head();

  // Reads one request: head up to the blank line plus a Content-Length body.
  // Empty when the client closed first or the server is stopping.
  std::string read_request();

  void send(std::string_view bytes) {
    while (!bytes.empty() && fd_ >= 0) {
      ssize_t n = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
      if (n <= 0) return;
      bytes.remove_prefix(static_cast<size_t>(n));
    }
  }

  // One byte per segment with a pause in between, so the client sees every split.
  void send_slowly(std::string_view bytes,
                   std::chrono::microseconds pause = std::chrono::microseconds(500)) {
    for (char c : bytes) {
      send(std::string_view(&c, 1));
      std::this_thread::sleep_for(pause);
    }
  }

  void close() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }

  // Abortive close: the client gets a RST instead of a FIN.
  void reset() {
    if (fd_ < 0) return;
    linger option{1, 0};
    setsockopt(fd_, SOL_SOCKET, SO_LINGER, &option, sizeof(option));
    close();
  }

  // Without reading: has the client closed the connection (or the server stopped)?
  bool stopped_or_closed();

  // Waits until the client closes its end (true), or the server stops (false).
  bool wait_for_close();

 private:
  // Appends whatever arrives within a short poll; false on EOF, error or stop.
  bool receive_some();

  TestServer& server_;
  int fd_;
  std::string pending_;  // bytes read past the last request
};

class TestServer {
 public:
  using Script = std::function<void(Peer& peer, int connection_index)>;
  // One connection after another (the next waits until the script returns), or each
  // on a thread of its own, for clients that keep several open at once.
  enum class Serving { kOneAtATime, kConcurrently };

  // Listens on 127.0.0.1, or on [::1] when `ipv6`.
  explicit TestServer(Script script, bool ipv6 = false, Serving serving = Serving::kOneAtATime)
      : script_(std::move(script)), ipv6_(ipv6), serving_(serving) {
    listen_fd_ = socket(ipv6 ? AF_INET6 : AF_INET, SOCK_STREAM, 0);
    int yes = 1;
    setsockopt(listen_fd_, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof(yes));
    sockaddr_storage storage{};
    socklen_t length;
    if (ipv6) {
      auto& address = reinterpret_cast<sockaddr_in6&>(storage);
      address.sin6_family = AF_INET6;
      address.sin6_addr = in6addr_loopback;
      length = sizeof(address);
    } else {
      auto& address = reinterpret_cast<sockaddr_in&>(storage);
      address.sin_family = AF_INET;
      address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
      length = sizeof(address);
    }
    auto* address = reinterpret_cast<sockaddr*>(&storage);
    if (bind(listen_fd_, address, length) != 0 || listen(listen_fd_, 16) != 0) {
      throw std::runtime_error("test server cannot listen");
    }
    getsockname(listen_fd_, address, &length);
    port_ = ntohs(ipv6 ? reinterpret_cast<sockaddr_in6&>(storage).sin6_port
                       : reinterpret_cast<sockaddr_in&>(storage).sin_port);
    thread_ = std::thread([this] { run(); });
  }

  ~TestServer() {
    stopping_ = true;
    thread_.join();
    for (std::thread& connection : connections_) connection.join();
    ::close(listen_fd_);
  }

  uint16_t port() const { return port_; }
  std::string url(std::string_view path = "/") const {
    return std::string(ipv6_ ? "http://[::1]:" : "http://127.0.0.1:") + std::to_string(port_) +
           std::string(path);
  }
  int accepted() const { return accepted_; }
  int finished() const { return finished_; }  // connections whose script has returned
  bool stopping() const { return stopping_; }

  std::vector<std::string> requests() const {
    std::lock_guard lock(mutex_);
    return requests_;
  }
  void record(std::string request) {
    std::lock_guard lock(mutex_);
    requests_.push_back(std::move(request));
  }

  // Blocks the test thread until `count` connection scripts have returned.
  bool wait_finished(int count, std::chrono::milliseconds limit = std::chrono::seconds(5)) const {
    auto deadline = std::chrono::steady_clock::now() + limit;
    while (finished_ < count) {
      if (std::chrono::steady_clock::now() > deadline) return false;
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    return true;
  }

 private:
  void run() {
    int index = 0;
    while (!stopping_) {
      pollfd entry{listen_fd_, POLLIN, 0};
      if (poll(&entry, 1, 20) <= 0) continue;
      int fd = accept(listen_fd_, nullptr, nullptr);
      if (fd < 0) continue;
      int yes = 1;
      setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &yes, sizeof(yes));
      ++accepted_;
      if (serving_ == Serving::kConcurrently) {
        connections_.emplace_back([this, fd, index] { serve(fd, index); });
        ++index;
      } else {
        serve(fd, index++);
      }
    }
  }

  void serve(int fd, int index) {
    {
      Peer peer(*this, fd);
      script_(peer, index);
    }
    ++finished_;
  }

  Script script_;
  bool ipv6_;
  Serving serving_;
  int listen_fd_ = -1;
  uint16_t port_ = 0;
  std::atomic<bool> stopping_{false};
  std::atomic<int> accepted_{0};
  std::atomic<int> finished_{0};
  mutable std::mutex mutex_;
  std::vector<std::string> requests_;
  std::thread thread_;
  std::vector<std::thread> connections_;  // kConcurrently: one per accepted connection
};

inline bool Peer::receive_some() {
  if (fd_ < 0 || server_.stopping()) return false;
  pollfd entry{fd_, POLLIN, 0};
  int ready = poll(&entry, 1, 20);
  if (ready == 0) return true;
  if (ready < 0) return false;
  char buffer[4096];
  ssize_t n = recv(fd_, buffer, sizeof(buffer), 0);
  if (n <= 0) return false;
  pending_.append(buffer, static_cast<size_t>(n));
  return true;
}

inline std::string Peer::read_request() {
  while (true) {
    size_t head_end = pending_.find("\r\n\r\n");
    if (head_end != std::string::npos) {
      size_t body_length = 0;
      std::string head = pending_.substr(0, head_end);
      for (char& c : head) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      size_t field = head.find("\r\ncontent-length:");
      if (field != std::string::npos) body_length = std::stoul(head.substr(field + 17));
      size_t total = head_end + 4 + body_length;
      if (pending_.size() >= total) {
        std::string request = pending_.substr(0, total);
        pending_.erase(0, total);
        server_.record(request);
        return request;
      }
    }
    if (!receive_some()) return {};
  }
}

inline std::string Peer::read_head() {
  while (true) {
    size_t head_end = pending_.find("\r\n\r\n");
    if (head_end != std::string::npos) {
      std::string head = pending_.substr(0, head_end + 4);
      pending_.erase(0, head_end + 4);
      return head;
    }
    if (!receive_some()) return {};
  }
}

inline bool Peer::stopped_or_closed() {
  if (fd_ < 0 || server_.stopping()) return true;
  pollfd entry{fd_, POLLRDHUP, 0};
  return poll(&entry, 1, 0) > 0 && (entry.revents & (POLLRDHUP | POLLHUP | POLLERR));
}

inline bool Peer::wait_for_close() {
  while (true) {
    if (fd_ < 0 || server_.stopping()) return false;
    pollfd entry{fd_, POLLIN, 0};
    int ready = poll(&entry, 1, 20);
    if (ready == 0) continue;
    if (ready < 0) return false;
    char buffer[4096];
    ssize_t n = recv(fd_, buffer, sizeof(buffer), 0);
    if (n <= 0) return true;
  }
}

// A port on 127.0.0.1 where nothing listens: bound and released at once.
inline uint16_t unused_port() {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address));
  socklen_t length = sizeof(address);
  getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length);
  ::close(fd);
  return ntohs(address.sin_port);
}

}  // namespace lueng::http::testing
