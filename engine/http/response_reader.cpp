#include "engine/http/response_reader.hpp"

#include <cstdint>
#include <cstring>

#include <fmt/format.h>

#include "engine/http/simple_head_memo.hpp"

namespace lueng::http {

namespace {

// Far above any real server's headers; stops a broken server from growing the
// buffer without bound.
constexpr size_t kMaxHeaderBytes = 1 << 20;

constexpr int kContinue = 0;
constexpr int kSkipBody = 1;  // llhttp: "assume the response has no body"

}  // namespace

const llhttp_settings_t* ResponseReader::settings() {
  static const llhttp_settings_t settings = [] {
    llhttp_settings_t s;
    llhttp_settings_init(&s);
    s.on_message_begin = on_message_begin;
    s.on_header_field = on_header_field;
    s.on_header_field_complete = on_header_field_complete;
    s.on_header_value = on_header_value;
    s.on_header_value_complete = on_header_value_complete;
    s.on_headers_complete = on_headers_complete;
    s.on_body = on_body;
    s.on_message_complete = on_message_complete;
    return s;
  }();
  return &settings;
}

ResponseReader::ResponseReader() {
  llhttp_init(&parser_, HTTP_RESPONSE, settings());
  parser_.data = this;
  // Servers that send both Transfer-Encoding: chunked and Content-Length are read
  // the way RFC 9112 tells clients to (chunked wins) instead of failing.
  llhttp_set_lenient_chunked_length(&parser_, 1);
}

void ResponseReader::start(ResponseData& out, bool head_request, bool discard_body,
                           uint64_t max_body_bytes) {
  // Only after a response llhttp read: the simple heads of a load test leave it
  // as its last reset left it.
  if (parser_used_) {
    llhttp_reset(&parser_);  // keeps settings, data and lenient flags
    parser_used_ = false;
  }
  out_ = &out;
  out.body_discarded = discard_body;
  head_request_ = head_request;
  discard_body_ = discard_body;
  max_body_ = max_body_bytes == 0 || max_body_bytes > SIZE_MAX
                  ? SIZE_MAX
                  : static_cast<size_t>(max_body_bytes);
  too_large_ = false;
  header_state_ = HeaderState::kExpectName;
  interim_ = false;
  decoding_ = false;
  decode_failed_ = false;
  paused_at_ = nullptr;
  complete_ = false;
  keep_alive_ = false;
  trailing_bytes_ = false;
  head_fresh_ = true;
  simple_ = false;
  simple_body_left_ = 0;
  start_head();
}

void ResponseReader::start_head() {
  in_head_ = true;
  head_has_line_ = false;
  line_empty_ = true;
  last_cr_ = false;
}

ResponseReader::Result ResponseReader::feed(const char* data, size_t length) {
  if (simple_) return read_simple_body(data, length);
  if (head_fresh_ && length > 0) {
    head_fresh_ = false;
    SimpleHead head;
    // A HEAD response has no body whatever its length says: llhttp's case.
    if (simple_heads_ && !head_request_ &&
        SimpleHeadMemo::for_this_thread().read(data, length, out_->headers, head)) {
      if (out_->header_bytes.size() + head.length <= kMaxHeaderBytes)
        return read_simple(head, data, length);
      out_->headers.clear();  // llhttp reports the oversized head
    }
  }
  parser_used_ = true;
  // The head is handed to llhttp in pieces that end at a blank line, with CRs added
  // where lines end in a bare LF. llhttp alone says where a head ends (scan_head's
  // blank line is a guess: llhttp also ends it at a CR followed by any byte), so it
  // pauses there whenever the piece was rewritten or a 1xx response ended, and the
  // rest is read from the bytes as sent: no body byte is ever rewritten, and how a
  // stream is split into reads never changes what is read.
  while (in_head_ && length > 0) {
    bool cr_before = last_cr_;
    bool bare_lf = false;
    size_t piece = scan_head(data, length, bare_lf);
    size_t used = piece;
    Result result;
    if (bare_lf) {
      add_crs(data, piece, cr_before);
      rewriting_ = true;
      result = execute(crlf_head_.data(), crlf_head_.size(), piece == length);
      rewriting_ = false;
      if (paused_at_)
        used = sent_offset(data, piece, cr_before,
                           static_cast<size_t>(paused_at_ - crlf_head_.data()));
    } else {
      result = execute(data, piece, piece == length);
      if (paused_at_) used = static_cast<size_t>(paused_at_ - data);
    }
    data += used;
    length -= used;
    if (result != Result::kNeedMore) {
      if (result == Result::kComplete && length > 0) trailing_bytes_ = true;
      return result;
    }
  }
  // After a pause at the end of a head, llhttp has yet to decide how the body is
  // framed (that runs when it resumes): an empty execute lets it, so that a body
  // ending at EOF, or no body at all, is known even when no byte follows.
  if (length == 0 && !paused_at_) return Result::kNeedMore;
  return execute(data, length, true);
}

size_t ResponseReader::scan_head(const char* data, size_t length, bool& bare_lf) {
  // Line by line with memchr, not byte by byte: this runs over every response head.
  size_t i = 0;
  while (i < length) {
    const void* lf = std::memchr(data + i, '\n', length - i);
    size_t end = lf ? static_cast<size_t>(static_cast<const char*>(lf) - data) : length;
    if (end > i) {
      last_cr_ = data[end - 1] == '\r';
      // Only CRs (or nothing) make a line blank.
      for (size_t j = i; line_empty_ && j < end; ++j) line_empty_ = data[j] == '\r';
    }
    if (!lf) return length;
    bare_lf = bare_lf || !last_cr_;
    last_cr_ = false;
    // Blank lines before the status line are not the end of anything.
    if (line_empty_ && head_has_line_) return end + 1;
    head_has_line_ = head_has_line_ || !line_empty_;
    line_empty_ = true;
    i = end + 1;
  }
  return length;
}

size_t ResponseReader::sent_offset(const char* data, size_t length, bool cr_before,
                                   size_t rewritten_offset) {
  size_t rewritten = 0;
  bool cr = cr_before;
  for (size_t i = 0; i < length; ++i) {
    if (rewritten >= rewritten_offset) return i;
    rewritten += data[i] == '\n' && !cr ? 2 : 1;
    cr = data[i] == '\r';
  }
  return length;
}

void ResponseReader::add_crs(const char* data, size_t length, bool cr_before) {
  crlf_head_.clear();
  bool cr = cr_before;
  for (size_t i = 0; i < length; ++i) {
    if (data[i] == '\n' && !cr) crlf_head_ += '\r';
    crlf_head_ += data[i];
    cr = data[i] == '\r';
  }
}

ResponseReader::Result ResponseReader::execute(const char* data, size_t length, bool last) {
  paused_at_ = nullptr;
  piece_ = nullptr;
  if (in_head_ && !keep_head_piece(data, length)) {
    out_->error_code = ErrorCode::kMalformedResponse;
    out_->error = "malformed HTTP response: response headers larger than 1 MiB";
    return Result::kError;
  }
  llhttp_errno_t status = llhttp_execute(&parser_, data, length);
  if (status == HPE_PAUSED && !complete_) {
    // At the end of a rewritten head or of a 1xx response (see feed()).
    paused_at_ = llhttp_get_error_pos(&parser_);
    llhttp_resume(&parser_);
    return Result::kNeedMore;
  }
  if (complete_) {
    // on_message_complete paused the parser right after the response's last byte.
    trailing_bytes_ =
        !last || (status == HPE_PAUSED && llhttp_get_error_pos(&parser_) != data + length);
    return Result::kComplete;
  }
  if (status == HPE_OK) return Result::kNeedMore;
  if (too_large_) return Result::kError;  // the error is set already
  out_->error_code = ErrorCode::kMalformedResponse;
  out_->error = fmt::format("malformed HTTP response: {} ({})", llhttp_get_error_reason(&parser_),
                            llhttp_errno_name(status));
  return Result::kError;
}

bool ResponseReader::finish() {
  if (!complete_ && !simple_) {
    parser_used_ = true;
    llhttp_finish(&parser_);  // completes a body that runs to EOF
  }
  return complete_;
}

ResponseReader::Result ResponseReader::read_simple(const SimpleHead& head, const char* data,
                                                   size_t length) {
  auto base = static_cast<uint32_t>(out_->header_bytes.size());
  out_->header_bytes.append(data, head.length);
  for (ResponseData::HeaderRef& header : out_->headers) {
    header.name_offset += base;
    header.value_offset += base;
  }
  out_->status = head.status;
  out_->http_minor = head.http_minor;
  out_->no_set_cookie = !head.set_cookie;
  in_head_ = false;
  simple_ = true;
  simple_keep_alive_ = head.keep_alive;
  simple_body_left_ = head.content_length;
  decoding_ = false;
  if (!discard_body_) {
    auto coding = head.content_encoded ? ContentDecoder::coding_of(out_->header("content-encoding"))
                                       : ContentDecoder::Coding::kIdentity;
    if (coding != ContentDecoder::Coding::kIdentity) {
      decoder_.start(coding);
      decoding_ = true;
    } else if (head.content_length > max_body_) {
      body_too_large();  // no need to read what would be refused
      return Result::kError;
    }
  }
  return read_simple_body(data + head.length, length - head.length);
}

ResponseReader::Result ResponseReader::read_simple_body(const char* data, size_t length) {
  size_t take = length < simple_body_left_ ? length : static_cast<size_t>(simple_body_left_);
  if (take > 0 && !take_body(data, take)) return Result::kError;
  simple_body_left_ -= take;
  if (simple_body_left_ > 0) return Result::kNeedMore;
  complete_response(simple_keep_alive_);
  trailing_bytes_ = take < length;
  return Result::kComplete;
}

void ResponseReader::complete_response(bool keep_alive) {
  if (decoding_ && !decoder_.finish()) decoding_failed();
  complete_ = true;
  keep_alive_ = keep_alive;
}

// One copy of each head piece instead of an append per header name and value (two
// to four callbacks a header): the callbacks below only note offsets into it.
// Every span callback points into the piece being read, since llhttp reports a
// span cut by the end of a piece before that execute returns.
bool ResponseReader::keep_head_piece(const char* data, size_t length) {
  if (out_->header_bytes.size() + length > kMaxHeaderBytes) return false;
  piece_ = data;
  piece_base_ = static_cast<uint32_t>(out_->header_bytes.size());
  out_->header_bytes.append(data, length);
  return true;
}

uint32_t ResponseReader::header_offset(const char* at, size_t length) {
  if (piece_) return piece_base_ + static_cast<uint32_t>(at - piece_);
  std::string& bytes = out_->header_bytes;
  if (bytes.size() + length > kMaxHeaderBytes) {
    llhttp_set_error_reason(&parser_, "response headers larger than 1 MiB");
    return UINT32_MAX;
  }
  auto offset = static_cast<uint32_t>(bytes.size());
  bytes.append(at, length);
  return offset;
}

int ResponseReader::on_message_begin(llhttp_t* parser) {
  // Also the start of the final response after a 1xx: forget the interim one.
  // header_bytes keeps the interim response's bytes: the piece being read is
  // copied there already, and offsets point into it.
  ResponseData& out = *self(parser).out_;
  out.status = 0;
  out.headers.clear();
  self(parser).header_state_ = HeaderState::kExpectName;
  return kContinue;
}

int ResponseReader::on_header_field(llhttp_t* parser, const char* at, size_t length) {
  ResponseReader& reader = self(parser);
  ResponseData& out = *reader.out_;
  uint32_t offset = reader.header_offset(at, length);
  if (offset == UINT32_MAX) return HPE_USER;
  if (reader.header_state_ != HeaderState::kInName) {
    out.headers.push_back(ResponseData::HeaderRef{offset, 0, offset, 0});
    reader.header_state_ = HeaderState::kInName;
  }
  ResponseData::HeaderRef& header = out.headers.back();
  header.name_length = offset + static_cast<uint32_t>(length) - header.name_offset;
  return kContinue;
}

int ResponseReader::on_header_field_complete(llhttp_t* parser) {
  ResponseReader& reader = self(parser);
  // An empty value, unless a value callback comes, right after the name.
  ResponseData::HeaderRef& header = reader.out_->headers.back();
  header.value_offset = header.name_offset + header.name_length;
  reader.header_state_ = HeaderState::kBeforeValue;
  return kContinue;
}

int ResponseReader::on_header_value(llhttp_t* parser, const char* at, size_t length) {
  ResponseReader& reader = self(parser);
  ResponseData::HeaderRef& header = reader.out_->headers.back();
  uint32_t offset = reader.header_offset(at, length);
  if (offset == UINT32_MAX) return HPE_USER;
  if (reader.header_state_ == HeaderState::kBeforeValue) {
    header.value_offset = offset;
    header.value_length = 0;
    reader.header_state_ = HeaderState::kInValue;
  }
  uint32_t end = header.value_offset + header.value_length;
  if (offset != end) {
    // A value continued on a folded line (obs-fold): llhttp leaves out the fold's
    // CRLF, and so do appended trailers, so a head value drops it too by moving the
    // continuation up. One value whatever the split, with the whitespace on either
    // side of the fold standing in for it, as RFC 9112 asks of a user agent.
    std::memmove(&reader.out_->header_bytes[end], &reader.out_->header_bytes[offset], length);
  }
  header.value_length += static_cast<uint32_t>(length);
  return kContinue;
}

int ResponseReader::on_header_value_complete(llhttp_t* parser) {
  ResponseReader& reader = self(parser);
  ResponseData& out = *reader.out_;
  ResponseData::HeaderRef& header = out.headers.back();
  // llhttp drops leading whitespace of a value but keeps trailing whitespace.
  while (header.value_length > 0) {
    char last = out.header_bytes[header.value_offset + header.value_length - 1];
    if (last != ' ' && last != '\t') break;
    --header.value_length;
  }
  reader.header_state_ = HeaderState::kExpectName;
  return kContinue;
}

int ResponseReader::on_headers_complete(llhttp_t* parser) {
  ResponseReader& reader = self(parser);
  int status = llhttp_get_status_code(parser);
  reader.out_->status = status;
  reader.out_->http_minor = llhttp_get_http_minor(parser);
  reader.interim_ = status >= 100 && status < 200 && status != 101;
  // llhttp already knows 1xx/204/304 have no body when no length is given, but a
  // 304 may carry the Content-Length of the resource it stands for, and a HEAD
  // response the length a GET would have had.
  if (!reader.interim_) reader.in_head_ = false;
  if (reader.interim_ || status == 204 || status == 304 || reader.head_request_) return kSkipBody;
  reader.decoding_ = false;
  if (!reader.discard_body_) {
    auto coding = ContentDecoder::coding_of(reader.out_->header("content-encoding"));
    if (coding != ContentDecoder::Coding::kIdentity) {
      reader.decoder_.start(coding);
      reader.decoding_ = true;
    } else if ((parser->flags & F_CONTENT_LENGTH) && parser->content_length > reader.max_body_) {
      return reader.body_too_large();  // no need to read what would be refused
    }
  }
  // The body is read from the bytes as sent, not from the rewritten head's copy.
  return reader.rewriting_ ? HPE_PAUSED : kContinue;
}

int ResponseReader::body_too_large() {
  // A failed request, as a cut connection would be: status 0 so that it counts in
  // http_req_failed, and the partial body (up to the limit) is given back at once.
  too_large_ = true;
  out_->status = 0;
  out_->body.clear();
  out_->body.shrink_to_fit();
  out_->error_code = ErrorCode::kResponseTooLarge;
  out_->error = fmt::format("response body larger than maxResponseBodySize ({} bytes){}", max_body_,
                            decoding_ ? " once decompressed" : "");
  decoding_ = false;
  parser_used_ = true;
  llhttp_set_error_reason(&parser_, "response body too large");
  return HPE_USER;
}

void ResponseReader::decoding_failed() {
  // The framing is intact, so the connection stays usable; only the content is bad.
  decoding_ = false;
  decode_failed_ = true;
  out_->error_code = ErrorCode::kResponseDecompressionFailed;
  out_->error = fmt::format("failed to decompress the response body: {}", decoder_.error());
}

int ResponseReader::on_body(llhttp_t* parser, const char* at, size_t length) {
  return self(parser).take_body(at, length) ? kContinue : HPE_USER;
}

bool ResponseReader::take_body(const char* at, size_t length) {
  std::string& body = out_->body;
  if (decoding_) {
    switch (decoder_.feed(at, length, body, max_body_)) {
      case ContentDecoder::Fed::kOk:
        break;
      case ContentDecoder::Fed::kInvalid:
        decoding_failed();
        break;
      case ContentDecoder::Fed::kTooLarge:
        body_too_large();
        return false;
    }
  } else if (!discard_body_ && !decode_failed_) {
    if (length > max_body_ - body.size()) {
      body_too_large();
      return false;
    }
    body.append(at, length);
  }
  return true;
}

int ResponseReader::on_message_complete(llhttp_t* parser) {
  ResponseReader& reader = self(parser);
  if (reader.interim_) {
    reader.interim_ = false;
    reader.start_head();
    // The real response follows in the same stream; feed() scans its head from here.
    return HPE_PAUSED;
  }
  // 101 hands the connection to another protocol we do not speak.
  reader.complete_response(llhttp_should_keep_alive(parser) &&
                           llhttp_get_status_code(parser) != 101);
  // Pausing stops llhttp right after this response, so bytes past it are noticed.
  return HPE_PAUSED;
}

}  // namespace lueng::http
