#include "tools/hotel-mock/request_parser.hpp"

#include <uv.h>

#include <string_view>

namespace lueng::hotel_mock {

namespace {

// Generous for any real client, small enough that a runaway one cannot exhaust memory.
constexpr size_t kMaxHeadBytes = 64 * 1024;
constexpr size_t kMaxBodyBytes = 1024 * 1024;

RequestParser& from(llhttp_t* parser) {
  return *static_cast<RequestParser*>(parser->data);
}

char ascii_lower(char c) {
  return c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c;
}

bool lowercase_equals(std::string_view text, std::string_view lower) {
  if (text.size() != lower.size()) return false;
  for (size_t i = 0; i < text.size(); ++i) {
    if (ascii_lower(text[i]) != lower[i]) return false;
  }
  return true;
}

}  // namespace

const llhttp_settings_t& RequestParser::settings() {
  static const llhttp_settings_t settings = [] {
    llhttp_settings_t s;
    llhttp_settings_init(&s);
    s.on_message_begin = on_message_begin;
    s.on_url = on_url;
    s.on_header_field = on_header_field;
    s.on_header_value = on_header_value;
    s.on_header_value_complete = on_header_value_complete;
    s.on_headers_complete = on_headers_complete;
    s.on_body = on_body;
    s.on_message_complete = on_message_complete;
    return s;
  }();
  return settings;
}

RequestParser::RequestParser() {
  llhttp_init(&parser_, HTTP_REQUEST, &settings());
  parser_.data = this;
}

RequestParser::Result RequestParser::feed(const char* data, size_t length, size_t* consumed) {
  llhttp_errno_t err = llhttp_execute(&parser_, data, length);
  if (err == HPE_OK) return Result::kNeedMore;
  if (err == HPE_PAUSED) {
    // Paused right after a complete request; whatever follows is the next one.
    const char* stop = llhttp_get_error_pos(&parser_);
    *consumed = stop ? static_cast<size_t>(stop - data) : length;
    return Result::kRequest;
  }
  if (refused_status_ == 413) {
    error_status_ = 413;
    error_message_ = "request body too large";
  } else if (refused_status_ == 431) {
    error_status_ = 431;
    error_message_ = "request head too large";
  } else {
    error_status_ = 400;
    error_message_ = std::string("malformed HTTP request: ") + llhttp_errno_name(err);
  }
  return Result::kError;
}

void RequestParser::resume() {
  llhttp_resume(&parser_);
}

bool RequestParser::take_continue() {
  bool expects = expects_continue_;
  expects_continue_ = false;
  return expects;
}

int RequestParser::refuse(int status, const char* reason) {
  refused_status_ = status;
  llhttp_set_error_reason(&parser_, reason);
  return HPE_USER;
}

bool RequestParser::add_head_bytes(size_t length) {
  head_bytes_ += length;
  return head_bytes_ <= kMaxHeadBytes;
}

int RequestParser::on_message_begin(llhttp_t* parser) {
  RequestParser& self = from(parser);
  self.request_ = Request{};
  self.request_.start_ns = uv_hrtime();
  self.head_bytes_ = 0;
  self.header_field_.clear();
  self.header_value_.clear();
  self.expects_continue_ = false;
  return 0;
}

int RequestParser::on_url(llhttp_t* parser, const char* at, size_t length) {
  RequestParser& self = from(parser);
  if (!self.add_head_bytes(length)) return self.refuse(431, "head too large");
  self.request_.target.append(at, length);
  return 0;
}

int RequestParser::on_header_field(llhttp_t* parser, const char* at, size_t length) {
  RequestParser& self = from(parser);
  if (!self.add_head_bytes(length)) return self.refuse(431, "head too large");
  for (size_t i = 0; i < length; ++i) self.header_field_.push_back(ascii_lower(at[i]));
  return 0;
}

int RequestParser::on_header_value(llhttp_t* parser, const char* at, size_t length) {
  RequestParser& self = from(parser);
  if (!self.add_head_bytes(length)) return self.refuse(431, "head too large");
  self.header_value_.append(at, length);
  return 0;
}

int RequestParser::on_header_value_complete(llhttp_t* parser) {
  RequestParser& self = from(parser);
  self.request_.headers.emplace_back(std::move(self.header_field_), std::move(self.header_value_));
  self.header_field_.clear();
  self.header_value_.clear();
  return 0;
}

int RequestParser::on_headers_complete(llhttp_t* parser) {
  RequestParser& self = from(parser);
  self.request_.method =
      llhttp_method_name(static_cast<llhttp_method_t>(llhttp_get_method(parser)));
  if (parser->content_length > kMaxBodyBytes && (parser->flags & F_CONTENT_LENGTH))
    return self.refuse(413, "body too large");
  const std::string* expect = self.request_.header("expect");
  self.expects_continue_ = expect && lowercase_equals(*expect, "100-continue");
  return 0;
}

int RequestParser::on_body(llhttp_t* parser, const char* at, size_t length) {
  RequestParser& self = from(parser);
  if (self.request_.body.size() + length > kMaxBodyBytes) return self.refuse(413, "body too large");
  self.request_.body.append(at, length);
  return 0;
}

int RequestParser::on_message_complete(llhttp_t* parser) {
  RequestParser& self = from(parser);
  self.request_.keep_alive = llhttp_should_keep_alive(parser) != 0;
  return HPE_PAUSED;
}

}  // namespace lueng::hotel_mock
