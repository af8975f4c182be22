#pragma once

#include <llhttp.h>

#include <cstddef>
#include <string>

namespace lueng::dashboard {

// Reads the head of one HTTP/1.x request (request line and headers) from bytes
// that arrive in any split, with llhttp, and keeps only what the dashboard routes
// on: the method, the target and the Host header. Other headers are dropped. A head larger
// than kMaxHeadBytes, or anything llhttp refuses, is an error: the connection is
// answered 400 or 431 and closed. Knows nothing of sockets, so it is unit-tested
// and fuzzed (tests/fuzz/fuzz_dashboard_request.cpp) on its own.
class RequestHead {
 public:
  static constexpr size_t kMaxHeadBytes = 8 * 1024;
  enum class Result { kNeedMore, kComplete, kError };

  RequestHead();
  RequestHead(const RequestHead&) = delete;  // llhttp keeps a pointer to us
  RequestHead& operator=(const RequestHead&) = delete;

  // Parses more bytes. Once kComplete or kError is returned, later calls return
  // the same without reading (a request body, or pipelined requests, are ignored:
  // every connection serves one request).
  Result feed(const char* data, size_t length);

  const std::string& method() const { return method_; }  // "GET", "HEAD"...
  const std::string& target() const { return target_; }  // "/events?x=1" as sent
  const std::string& host() const { return host_; }      // the Host header, "" without
  // For an error: 400 (malformed) or 431 (head too large), and why.
  int error_status() const { return error_status_; }
  const std::string& error_message() const { return error_message_; }

 private:
  static int on_url(llhttp_t* parser, const char* at, size_t length);
  static int on_header_field(llhttp_t* parser, const char* at, size_t length);
  static int on_header_value(llhttp_t* parser, const char* at, size_t length);
  static int on_header_value_complete(llhttp_t* parser);
  static int on_headers_complete(llhttp_t* parser);
  static const llhttp_settings_t& settings();
  int count(size_t length);  // 0, or HPE_USER past kMaxHeadBytes

  llhttp_t parser_;
  std::string method_, target_, host_;
  std::string field_;     // the header field being read, lower-cased
  bool in_host_ = false;  // its value is the Host header's
  size_t head_bytes_ = 0;
  bool too_large_ = false;
  Result state_ = Result::kNeedMore;
  int error_status_ = 0;
  std::string error_message_;
};

}  // namespace lueng::dashboard
