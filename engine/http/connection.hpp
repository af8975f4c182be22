#pragma once

#include <cstdint>
#include <string>

#include "engine/http/client.hpp"
#include "engine/http/response_reader.hpp"
#include "engine/http/stream.hpp"
#include "engine/http/tls_stream.hpp"

namespace lueng::http {

class Connection;

// What a connection reports to the session that owns it. Every call is the last
// thing the connection does in that callback, so the listener may destroy the
// connection (or start the next request on it) from inside any of them.
class ConnectionListener {
 public:
  virtual void on_connected(Connection& connection, int status) = 0;
  // The response is complete; `keep_alive` says whether the connection is idle and
  // reusable now (otherwise it must be dropped).
  virtual void on_response_complete(Connection& connection, bool keep_alive) = 0;
  // The response carries the error; the connection is unusable. `retryable`: a reused
  // connection died before answering (the server closed it while idle), so the
  // request may be repeated on a fresh connection.
  virtual void on_exchange_failed(Connection& connection, bool retryable) = 0;
  // An idle keep-alive connection was closed by the server (or spoke out of turn).
  virtual void on_idle_closed(Connection& connection) = 0;

 protected:
  ~ConnectionListener() = default;
};

// One HTTP/1.1 connection to one address: sends a request, reads its response,
// then stays idle for the next one while keep-alive allows. Destroying it closes
// the transport at once; its libuv memory is freed later by the stream itself.
class Connection final : private StreamHandler {
 public:
  // Speaks TLS when `tls` is given (its context and slot must outlive the connection).
  Connection(Client& client, ConnectionListener& listener, const sockaddr* remote,
             const TlsTarget* tls = nullptr);
  ~Connection() = default;
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // Starts connecting: 0 and on_connected later, or a libuv error now.
  int connect();

  // Writes the request and reads the response into `out`; the outcome arrives as
  // on_response_complete or on_exchange_failed, possibly before send() returns
  // when the write fails at once.
  void send(const Request& request, std::string_view user_agent, ResponseData& out);

  // The request in flight is given up (its timeout passed): its timings are
  // measured up to now and the connection is unusable.
  void abort_exchange();

  bool idle() const { return state_ == State::kIdle; }
  const sockaddr* remote() const { return reinterpret_cast<const sockaddr*>(&remote_); }
  const TlsInfo* tls() const { return stream_->tls(); }  // null for plain http

 private:
  enum class State { kConnecting, kIdle, kBusy, kBroken };

  void on_connect(int status) override;
  void on_read(const char* data, size_t length) override;
  void on_read_end(int status) override;
  void on_write(int status) override;

  void request_written();
  void measure_response(uint64_t now);
  void complete();
  void fail_io(std::string_view operation, int status);
  void fail(bool retryable);

  ConnectionListener& listener_;
  sockaddr_storage remote_;
  StreamPtr stream_;
  State state_ = State::kConnecting;
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
