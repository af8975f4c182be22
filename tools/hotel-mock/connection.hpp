#pragma once

#include <llhttp.h>
#include <uv.h>

#include <optional>
#include <string>

#include "tools/hotel-mock/http_message.hpp"
#include "tools/hotel-mock/service.hpp"

namespace lueng::hotel_mock {

class Worker;

// One accepted client connection: parses a request, waits out the reply's delay
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

  static int on_message_begin(llhttp_t* parser);
  static int on_url(llhttp_t* parser, const char* at, size_t length);
  static int on_header_field(llhttp_t* parser, const char* at, size_t length);
  static int on_header_value(llhttp_t* parser, const char* at, size_t length);
  static int on_header_value_complete(llhttp_t* parser);
  static int on_headers_complete(llhttp_t* parser);
  static int on_body(llhttp_t* parser, const char* at, size_t length);
  static int on_message_complete(llhttp_t* parser);
  static const llhttp_settings_t& settings();

  void start_reading();
  void stop_reading();
  void feed(const char* data, size_t length);
  void dispatch();
  void send_reply();
  void write_response(const Response& response);
  void written(int status);
  void reject(int status, std::string_view message);
  // Refuses the request being parsed: llhttp stops with HPE_USER, feed() answers.
  int refuse(int status, const char* reason);

  Worker& worker_;
  uv_tcp_t tcp_;
  uv_timer_t timer_;
  uv_write_t write_req_;
  llhttp_t parser_;

  Request request_;
  std::string header_field_;
  std::string header_value_;
  size_t head_bytes_ = 0;
  int refused_status_ = 0;

  std::string pending_;  // bytes after the current request, parsed once it is answered
  std::string out_;      // the response being written; must outlive the write
  std::optional<Reply> reply_;
  bool keep_alive_ = true;
  bool reading_ = false;
  bool closing_ = false;
  int open_handles_ = 0;
};

}  // namespace lueng::hotel_mock
