#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include <llhttp.h>

#include "engine/http/content_decoder.hpp"
#include "engine/http/response.hpp"
#include "engine/http/simple_head.hpp"

namespace lueng::http {

// Parses one HTTP/1.x response at a time with llhttp, straight into a ResponseData,
// from reads of any size. Interim 1xx responses are skipped; bodies are delimited by
// Content-Length, chunked encoding or the end of the connection. Bodies sent with
// Content-Encoding gzip or deflate are decoded as they arrive (unless discarded);
// a body that does not decode completes with kResponseDecompressionFailed (the
// framing is intact, so the connection stays usable; the Session then fails the
// request as it fails any other, status 0). A kept body larger than its limit (decoded size)
// stops the parse: kResponseTooLarge, and the connection cannot be reused.
//
// Lines of the status line and headers may end in a bare LF, as Go's client (and
// so k6) accepts them: llhttp 8 refuses a bare LF after a header value unless its
// lenient mode is on, which would also let through control characters in values
// and spaces before the colon. A head that holds one is given to llhttp with a CR
// put before each bare LF instead; nothing else of it changes, and nothing of a
// body.
//
// The common head (complete in the first read, Content-Length, nothing unusual:
// engine/http/simple_head.hpp) is read without llhttp, in a fraction of its
// instructions, and its body counted off by its length; any other goes to llhttp.
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

  // Off: every response goes through llhttp (tests compare the two ways).
  void set_simple_heads(bool on) { simple_heads_ = on; }

  // Valid after kComplete.
  bool keep_alive() const { return keep_alive_; }
  // The server sent bytes past the end of the response: the connection is out of step.
  bool trailing_bytes() const { return trailing_bytes_; }

 private:
  enum class HeaderState { kExpectName, kInName, kBeforeValue, kInValue };

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

  // llhttp on `length` bytes at `data`, the whole of what is left or a piece of it
  // (`last`: nothing follows in this read).
  Result execute(const char* data, size_t length, bool last);
  // How many of the `length` bytes at `data` belong to the head being read (all
  // of them, or up to its blank line); `bare_lf` says whether a line among them
  // ends in a LF alone.
  size_t scan_head(const char* data, size_t length, bool& bare_lf);
  // The head bytes at `data` with a CR before every bare LF, into crlf_head_;
  // `cr_before`: the byte before them was a CR.
  void add_crs(const char* data, size_t length, bool cr_before);
  // The offset in the `length` bytes at `data` of what is `rewritten_offset` in
  // their copy with CRs added.
  static size_t sent_offset(const char* data, size_t length, bool cr_before,
                            size_t rewritten_offset);
  void start_head();
  // Copies a piece of head into the response's header_bytes once, so that the
  // header callbacks only note offsets into it. False when the head grows too large.
  bool keep_head_piece(const char* data, size_t length);
  // Where the `length` bytes at `at` are in header_bytes: inside the head piece
  // llhttp reads, or appended (trailers, which follow a chunked body). UINT32_MAX
  // when the headers grow too large.
  uint32_t header_offset(const char* at, size_t length);
  // The response's head read by read_simple_head(): its body follows.
  Result read_simple(const SimpleHead& head, const char* data, size_t length);
  // Body bytes of a simple head's response, up to its Content-Length.
  Result read_simple_body(const char* data, size_t length);
  // Takes body bytes as sent: kept, discarded or inflated. False when the body
  // passed its limit (the error is set).
  bool take_body(const char* at, size_t length);
  void complete_response(bool keep_alive);
  void decoding_failed();
  int body_too_large();

  // Pointers and sizes first, flags last: one VU holds one reader per connection.
  llhttp_t parser_;
  ResponseData* out_ = nullptr;
  size_t max_body_ = SIZE_MAX;  // bytes a kept body may hold
  ContentDecoder decoder_;
  uint64_t simple_body_left_ = 0;    // bytes of the simple response's body still to come
  const char* paused_at_ = nullptr;  // where llhttp stopped at a head boundary
  const char* piece_ = nullptr;      // the bytes llhttp reads now (head pieces only) ...
  uint32_t piece_base_ = 0;          // ... and where their copy starts in header_bytes
  HeaderState header_state_ = HeaderState::kExpectName;
  std::string crlf_head_;  // a piece of head with CRs added; capacity kept
  bool head_request_ = false;
  bool discard_body_ = false;
  bool too_large_ = false;      // the body passed max_body_: the parse stopped
  bool decoding_ = false;       // the body is compressed and being inflated
  bool decode_failed_ = false;  // the rest of the body is ignored
  bool interim_ = false;        // parsing a 1xx response that precedes the real one
  bool complete_ = false;
  bool keep_alive_ = false;
  bool trailing_bytes_ = false;
  bool in_head_ = true;       // llhttp has not reached the end of the final head
  bool simple_heads_ = true;  // read_simple_head() is tried on a fresh head
  bool head_fresh_ = true;    // no byte of this response has been read yet
  bool simple_ = false;       // the head was simple: llhttp is not used
  bool parser_used_ = false;  // llhttp has seen something since its last reset
  bool simple_keep_alive_ = false;
  bool rewriting_ = false;  // llhttp is reading crlf_head_, not the bytes as sent
  // Where scan_head() is in the response head (or the next one after a 1xx).
  bool head_has_line_ = false;  // a line with text (the status line) was seen
  bool line_empty_ = true;      // the current line has no text yet
  bool last_cr_ = false;        // the last head byte was a CR
};

}  // namespace lueng::http
