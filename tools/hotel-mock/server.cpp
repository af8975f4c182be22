#include "tools/hotel-mock/server.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>
#include <uv.h>

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "tools/hotel-mock/service.hpp"
#include "tools/hotel-mock/worker.hpp"

namespace lueng::hotel_mock {

namespace {

constexpr int kExitRuntimeError = 1;

// A listening socket per worker. libuv (before 1.49) cannot set SO_REUSEPORT, so
// the socket is made here and handed to libuv with uv_tcp_open.
int bind_socket(const Options& options, int port, bool reuse_port, std::string& error) {
  sockaddr_storage address{};
  socklen_t length = 0;
  int family = AF_INET;
  if (inet_pton(AF_INET, options.host.c_str(),
                &reinterpret_cast<sockaddr_in*>(&address)->sin_addr) == 1) {
    auto* in4 = reinterpret_cast<sockaddr_in*>(&address);
    in4->sin_family = AF_INET;
    in4->sin_port = htons(static_cast<uint16_t>(port));
    length = sizeof(sockaddr_in);
  } else {
    auto* in6 = reinterpret_cast<sockaddr_in6*>(&address);
    inet_pton(AF_INET6, options.host.c_str(), &in6->sin6_addr);
    in6->sin6_family = AF_INET6;
    in6->sin6_port = htons(static_cast<uint16_t>(port));
    length = sizeof(sockaddr_in6);
    family = AF_INET6;
  }
  int fd = socket(family, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) {
    error = std::strerror(errno);
    return -1;
  }
  int on = 1;
  setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on));
  if (reuse_port) setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &on, sizeof(on));
  if (bind(fd, reinterpret_cast<sockaddr*>(&address), length) != 0) {
    error = std::strerror(errno);
    ::close(fd);
    return -1;
  }
  return fd;
}

int bound_port(int fd) {
  sockaddr_storage address{};
  socklen_t length = sizeof(address);
  getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length);
  if (address.ss_family == AF_INET6)
    return ntohs(reinterpret_cast<sockaddr_in6*>(&address)->sin6_port);
  return ntohs(reinterpret_cast<sockaddr_in*>(&address)->sin_port);
}

struct Shutdown {
  std::vector<std::unique_ptr<Worker>>* workers;
  uv_signal_t interrupt;
  uv_signal_t terminate;
};

void on_signal(uv_signal_t* handle, int) {
  auto* shutdown = static_cast<Shutdown*>(handle->data);
  for (auto& worker : *shutdown->workers) worker->stop();
  uv_close(reinterpret_cast<uv_handle_t*>(&shutdown->interrupt), nullptr);
  uv_close(reinterpret_cast<uv_handle_t*>(&shutdown->terminate), nullptr);
}

}  // namespace

int serve(const Options& options) {
  // A client that disconnects mid-response must cost an EPIPE, not the process.
  std::signal(SIGPIPE, SIG_IGN);

  Service service(options);
  std::vector<std::unique_ptr<Worker>> workers;
  int port = options.port;
  bool reuse_port = options.threads > 1;
  for (int i = 0; i < options.threads; ++i) {
    std::string error;
    int fd = bind_socket(options, port, reuse_port, error);
    if (fd < 0) {
      std::fprintf(stderr, "hotel-mock: cannot listen on %s:%d: %s\n", options.host.c_str(), port,
                   error.c_str());
      return kExitRuntimeError;
    }
    // With port 0 the first socket picks the port; the others must share it.
    port = bound_port(fd);
    workers.push_back(std::make_unique<Worker>(service, i, options.seed));
    if (int rc = workers.back()->listen(fd); rc != 0) {
      std::fprintf(stderr, "hotel-mock: cannot listen on %s:%d: %s\n", options.host.c_str(), port,
                   uv_strerror(rc));
      return kExitRuntimeError;
    }
  }

  uv_loop_t loop;
  uv_loop_init(&loop);
  Shutdown shutdown{&workers, {}, {}};
  uv_signal_init(&loop, &shutdown.interrupt);
  uv_signal_init(&loop, &shutdown.terminate);
  shutdown.interrupt.data = &shutdown;
  shutdown.terminate.data = &shutdown;
  uv_signal_start(&shutdown.interrupt, on_signal, SIGINT);
  uv_signal_start(&shutdown.terminate, on_signal, SIGTERM);

  for (auto& worker : workers) worker->start();
  bool v6 = options.host.find(':') != std::string::npos;
  std::printf("hotel-mock listening on %s%s%s:%d\n", v6 ? "[" : "", options.host.c_str(),
              v6 ? "]" : "", port);
  std::fflush(stdout);

  uv_run(&loop, UV_RUN_DEFAULT);
  for (auto& worker : workers) worker->join();
  workers.clear();
  uv_loop_close(&loop);
  return 0;
}

}  // namespace lueng::hotel_mock
