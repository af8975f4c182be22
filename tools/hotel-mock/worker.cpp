#include "tools/hotel-mock/worker.hpp"

#include <unistd.h>

#include <vector>

#include "tools/hotel-mock/connection.hpp"

namespace lueng::hotel_mock {

Worker::Worker(Service& service, int index, uint64_t seed)
    : service_(service), rng_(seed + static_cast<uint64_t>(index) * 0x9e3779b97f4a7c15ULL) {
  uv_loop_init(&loop_);
  uv_tcp_init(&loop_, &listener_);
  listener_.data = this;
  uv_async_init(&loop_, &stop_, on_stop);
  stop_.data = this;
}

Worker::~Worker() {
  if (thread_.joinable()) {
    join();
  } else if (!joined_) {
    // Never started (startup failed): close the handles here so the loop can close.
    on_stop(&stop_);
    uv_run(&loop_, UV_RUN_DEFAULT);
  }
  uv_loop_close(&loop_);
}

int Worker::listen(int fd) {
  int rc = uv_tcp_open(&listener_, fd);
  if (rc != 0) {
    ::close(fd);  // not adopted by libuv, so closing the handle would not close it
    return rc;
  }
  return uv_listen(reinterpret_cast<uv_stream_t*>(&listener_), 1024, on_connection);
}

void Worker::start() {
  thread_ = std::thread([this] { uv_run(&loop_, UV_RUN_DEFAULT); });
}

void Worker::stop() {
  uv_async_send(&stop_);
}

void Worker::join() {
  if (thread_.joinable()) {
    thread_.join();
    joined_ = true;
  }
}

void Worker::on_connection(uv_stream_t* server, int status) {
  auto* self = static_cast<Worker*>(server->data);
  // Accept errors (EMFILE and friends) are transient under load; the next
  // connection may well succeed, so the listener stays open.
  if (status < 0) return;
  Connection::accept(*self, server);
}

void Worker::on_stop(uv_async_t* async) {
  auto* self = static_cast<Worker*>(async->data);
  uv_close(reinterpret_cast<uv_handle_t*>(&self->listener_), nullptr);
  uv_close(reinterpret_cast<uv_handle_t*>(&self->stop_), nullptr);
  // close() removes a connection from the set only later, in its close callback,
  // but a copy keeps the iteration obviously safe.
  std::vector<Connection*> open(self->connections_.begin(), self->connections_.end());
  for (Connection* connection : open) connection->close();
}

}  // namespace lueng::hotel_mock
