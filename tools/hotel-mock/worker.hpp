#pragma once

#include <uv.h>

#include <thread>
#include <unordered_set>

#include "tools/hotel-mock/load_model.hpp"
#include "tools/hotel-mock/service.hpp"

namespace lueng::hotel_mock {

class Connection;

// One event loop on its own thread with its own listening socket; the kernel
// spreads incoming connections over the workers (SO_REUSEPORT). A connection
// lives and dies on the worker that accepted it.
class Worker {
 public:
  Worker(Service& service, int index, uint64_t seed);
  ~Worker();
  Worker(const Worker&) = delete;
  Worker& operator=(const Worker&) = delete;

  // Takes a bound socket and starts listening on it; 0 or a libuv error.
  int listen(int fd);
  void start();
  // Callable from any thread: closes every handle so the loop ends.
  void stop();
  void join();

  Service& service() { return service_; }
  Rng& rng() { return rng_; }
  uv_loop_t* loop() { return &loop_; }
  // Bytes read are always consumed before the next read, so one buffer serves all
  // of the worker's connections.
  char* read_buffer() { return read_buffer_; }
  static constexpr size_t kReadBufferSize = 64 * 1024;

  void add(Connection* connection) { connections_.insert(connection); }
  void remove(Connection* connection) { connections_.erase(connection); }

 private:
  static void on_connection(uv_stream_t* server, int status);
  static void on_stop(uv_async_t* async);

  Service& service_;
  Rng rng_;
  uv_loop_t loop_;
  uv_tcp_t listener_;
  uv_async_t stop_;
  bool joined_ = false;
  std::thread thread_;
  std::unordered_set<Connection*> connections_;
  char read_buffer_[kReadBufferSize];
};

}  // namespace lueng::hotel_mock
