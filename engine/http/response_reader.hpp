#pragma once

#include <cstddef>
#include <cstdint>

#include <llhttp.h>

#include "engine/http/content_decoder.hpp"
#include "engine/http/response.hpp"

namespace lueng::http {

// Parses one HTTP/1.x response at a time with llhttp, straight into a ResponseData,
// from reads of any size. Interim 1xx responses are skipped; bodies are delimited by
// Content-Length, chunked encoding or the end of the connection. Bodies sent with
// Content-Encoding gzip or deflate are decoded as they arrive (unless discarded);
// a body that does not decode completes with kResponseDecompressionFailed (the
// framing is intact, so the connection stays usable; the Session then fails the
// request as it fails any other, status 0). A kept body larger than its limit (decoded size)
// stops the parse: kResponseTooLarge, and the connection cannot be reused.
class ResponseReader {
 public:
  enum class Result { kNeedMore, kComplete, kError };

  ResponseReader();
  ResponseReader(const ResponseReader&) = delete;  // llhttp keeps a pointer to us
  ResponseReader& operator=(const ResponseReader&) = delete;

  // Prepares for the response to the next request. A HEAD response has no body
  // whatever its headers say. A kept body may hold at most `max_body_bytes`
  // (0: no limit); discarded bodies take no memory and have none.
  void start(ResponseData& out, bool head_request, bool discard_body, uint64_t max_body_bytes = 0);

  // On kError the response carries kMalformedResponse (or kResponseTooLarge) and a
  // message.
  Result feed(const char* data, size_t length);

  // The connection reached EOF: true when that legitimately ends the response (a
  // body delimited by the connection's end).
  bool finish();

  // Valid after kComplete.
  bool keep_alive() const { return keep_alive_; }
  // The server sent bytes past the end of the response: the connection is out of step.
  bool trailing_bytes() const { return trailing_bytes_; }

 private:
  enum class HeaderState { kExpectName, kInName, kInValue };

  static const llhttp_settings_t* settings();
  static ResponseReader& self(llhttp_t* parser) {
    return *static_cast<ResponseReader*>(parser->data);
  }
  static int on_message_begin(llhttp_t* parser);
  static int on_header_field(llhttp_t* parser, const char* at, size_t length);
  static int on_header_field_complete(llhttp_t* parser);
  static int on_header_value(llhttp_t* parser, const char* at, size_t length);
  static int on_header_value_complete(llhttp_t* parser);
  static int on_headers_complete(llhttp_t* parser);
  static int on_body(llhttp_t* parser, const char* at, size_t length);
  static int on_message_complete(llhttp_t* parser);

  bool append_header_bytes(const char* at, size_t length);
  void decoding_failed();
  int body_too_large();

  llhttp_t parser_;
  ResponseData* out_ = nullptr;
  HeaderState header_state_ = HeaderState::kExpectName;
  bool head_request_ = false;
  bool discard_body_ = false;
  size_t max_body_ = SIZE_MAX;  // bytes a kept body may hold
  bool too_large_ = false;      // the body passed max_body_: the parse stopped
  ContentDecoder decoder_;
  bool decoding_ = false;       // the body is compressed and being inflated
  bool decode_failed_ = false;  // the rest of the body is ignored
  bool interim_ = false;        // parsing a 1xx response that precedes the real one
  bool complete_ = false;
  bool keep_alive_ = false;
  bool trailing_bytes_ = false;
};

}  // namespace lueng::http
