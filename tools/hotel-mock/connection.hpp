#pragma once

#include <uv.h>

#include <optional>
#include <string>

#include "tools/hotel-mock/http_message.hpp"
#include "tools/hotel-mock/request_parser.hpp"
#include "tools/hotel-mock/service.hpp"

namespace lueng::hotel_mock {

class Worker;

// One accepted client connection: parses a request (RequestParser), waits out the reply's delay
// on a timer, writes the reply, then parses the next request (keep-alive). Reading
// pauses while a request is being answered, so pipelined requests are answered
// in order, one at a time. Owns itself: it is deleted when both handles closed.
class Connection {
 public:
  static void accept(Worker& worker, uv_stream_t* server);
  void close();

 private:
  explicit Connection(Worker& worker);
  ~Connection() = default;

  static void on_alloc(uv_handle_t* handle, size_t suggested, uv_buf_t* buf);
  static void on_read(uv_stream_t* stream, ssize_t nread, const uv_buf_t* buf);
  static void on_timer(uv_timer_t* timer);
  static void on_write(uv_write_t* req, int status);
  static void on_closed(uv_handle_t* handle);

  void start_reading();
  void stop_reading();
  void feed(const char* data, size_t length);
  void dispatch();
  void send_reply();
  void write_response(const Response& response);
  void written(int status);
  void reject(int status, std::string_view message);
  void send_continue();

  Worker& worker_;
  uv_tcp_t tcp_;
  uv_timer_t timer_;
  uv_write_t write_req_;
  RequestParser parser_;

  std::string pending_;  // bytes after the current request, parsed once it is answered
  std::string out_;      // the response being written; must outlive the write
  std::optional<Reply> reply_;
  bool keep_alive_ = true;
  bool reading_ = false;
  bool closing_ = false;
  int open_handles_ = 0;
};

}  // namespace lueng::hotel_mock
