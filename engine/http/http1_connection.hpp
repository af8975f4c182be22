#pragma once

#include <cstdint>
#include <string>

#include "engine/http/connection.hpp"
#include "engine/http/ip_address.hpp"
#include "engine/http/response_reader.hpp"
#include "engine/http/stream.hpp"

namespace lueng::http {

// HTTP/1.1 over a connected stream: sends a request, reads its response, then
// stays idle for the next one while keep-alive allows. One request at a time.
class Http1Connection final : public Connection, private StreamHandler {
 public:
  // Takes over `stream` (connected; its events come here from now on). `remote`
  // names the peer in error messages.
  Http1Connection(StreamPtr stream, const sockaddr* remote, IdleListener& idle);
  Http1Connection(const Http1Connection&) = delete;
  Http1Connection& operator=(const Http1Connection&) = delete;

  bool can_send() const override { return state_ == State::kIdle; }
  void send(const Request& request, std::string_view user_agent, ResponseData& out,
            ConnectionListener& listener) override;
  void abort_exchange(ConnectionListener& listener) override;

 private:
  enum class State { kIdle, kBusy, kBroken };

  const sockaddr* remote() const { return remote_.get(); }
  const IpAddress& peer() const override { return remote_; }

  void on_connect(int status) override;
  void on_read(const char* data, size_t length) override;
  void on_read_end(int status) override;
  void on_write(int status) override;

  void request_written();
  void measure_response(uint64_t now);
  // `now`: when the response's last byte was read.
  void complete(uint64_t now);
  void fail_io(std::string_view operation, int status);
  void fail(bool retryable);
  void idle_closed();

  IdleListener& idle_;
  ConnectionListener* listener_ = nullptr;  // of the request in flight
  IpAddress remote_;
  State state_ = State::kIdle;
  StreamPtr stream_;
  ResponseReader reader_;
  ResponseData* out_ = nullptr;
  std::string request_buffer_;  // reused by every request on this connection
  uint64_t responses_ = 0;      // completed on this connection
  bool written_ = false;
  bool close_after_response_ = false;  // the request said Connection: close
  bool response_started_ = false;
  uint64_t write_start_ns_ = 0;
  uint64_t write_end_ns_ = 0;
  uint64_t first_byte_ns_ = 0;
};

}  // namespace lueng::http
