#pragma once

#include <llhttp.h>

#include <cstddef>
#include <string>

#include "tools/hotel-mock/http_message.hpp"

namespace lueng::hotel_mock {

// Reads requests from a connection's bytes with llhttp, however they are split
// across reads, one request at a time: it stops right after each complete
// request, so pipelined requests are answered in order. Knows nothing of sockets,
// which keeps it testable (and fuzzed: tests/fuzz/fuzz_hotel_mock_request.cpp).
class RequestParser {
 public:
  enum class Result { kNeedMore, kRequest, kError };

  RequestParser();
  RequestParser(const RequestParser&) = delete;  // llhttp keeps a pointer to us
  RequestParser& operator=(const RequestParser&) = delete;

  // Parses `data`. kRequest: request() is complete and *consumed says how many
  // bytes of `data` it took (the rest belongs to the next request); call resume()
  // before feeding more. kError: the stream cannot be trusted past this point;
  // error_status() and error_message() say how to answer.
  Result feed(const char* data, size_t length, size_t* consumed);
  void resume();

  Request& request() { return request_; }
  // True once per request whose headers asked for "Expect: 100-continue": the
  // client holds a larger body back until told to go on.
  bool take_continue();

  int error_status() const { return error_status_; }
  const std::string& error_message() const { return error_message_; }

 private:
  static int on_message_begin(llhttp_t* parser);
  static int on_url(llhttp_t* parser, const char* at, size_t length);
  static int on_header_field(llhttp_t* parser, const char* at, size_t length);
  static int on_header_value(llhttp_t* parser, const char* at, size_t length);
  static int on_header_value_complete(llhttp_t* parser);
  static int on_headers_complete(llhttp_t* parser);
  static int on_body(llhttp_t* parser, const char* at, size_t length);
  static int on_message_complete(llhttp_t* parser);
  static const llhttp_settings_t& settings();

  // Refuses the request being parsed: llhttp stops with HPE_USER, feed() answers.
  int refuse(int status, const char* reason);
  bool add_head_bytes(size_t length);

  llhttp_t parser_;
  Request request_;
  std::string header_field_;
  std::string header_value_;
  size_t head_bytes_ = 0;
  int refused_status_ = 0;
  bool expects_continue_ = false;
  int error_status_ = 0;
  std::string error_message_;
};

}  // namespace lueng::hotel_mock
