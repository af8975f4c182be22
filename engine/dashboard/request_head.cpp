#include "engine/dashboard/request_head.hpp"

namespace lueng::dashboard {

namespace {
RequestHead& from(llhttp_t* parser) {
  return *static_cast<RequestHead*>(parser->data);
}
}  // namespace

const llhttp_settings_t& RequestHead::settings() {
  static const llhttp_settings_t settings = [] {
    llhttp_settings_t s;
    llhttp_settings_init(&s);
    s.on_url = on_url;
    s.on_header_field = on_header_field;
    s.on_header_value = on_header_value;
    s.on_header_value_complete = on_header_value_complete;
    s.on_headers_complete = on_headers_complete;
    return s;
  }();
  return settings;
}

RequestHead::RequestHead() {
  llhttp_init(&parser_, HTTP_REQUEST, &settings());
  parser_.data = this;
}

RequestHead::Result RequestHead::feed(const char* data, size_t length) {
  if (state_ != Result::kNeedMore) return state_;
  llhttp_errno_t err = llhttp_execute(&parser_, data, length);
  if (err == HPE_OK) return state_;
  if (err == HPE_PAUSED) {
    state_ = Result::kComplete;
    return state_;
  }
  state_ = Result::kError;
  if (too_large_) {
    error_status_ = 431;
    error_message_ = "request head too large";
  } else {
    error_status_ = 400;
    error_message_ = std::string("malformed HTTP request: ") + llhttp_errno_name(err);
  }
  return state_;
}

int RequestHead::count(size_t length) {
  head_bytes_ += length;
  if (head_bytes_ <= kMaxHeadBytes) return 0;
  too_large_ = true;
  return HPE_USER;
}

int RequestHead::on_url(llhttp_t* parser, const char* at, size_t length) {
  RequestHead& self = from(parser);
  if (int refused = self.count(length)) return refused;
  self.target_.append(at, length);
  return 0;
}

int RequestHead::on_header_field(llhttp_t* parser, const char* at, size_t length) {
  RequestHead& self = from(parser);
  if (int refused = self.count(length)) return refused;
  for (size_t i = 0; i < length; ++i)
    self.field_.push_back(at[i] >= 'A' && at[i] <= 'Z' ? static_cast<char>(at[i] + 32) : at[i]);
  self.in_host_ = self.field_ == "host";
  return 0;
}

int RequestHead::on_header_value(llhttp_t* parser, const char* at, size_t length) {
  RequestHead& self = from(parser);
  if (int refused = self.count(length)) return refused;
  if (self.in_host_) self.host_.append(at, length);
  return 0;
}

int RequestHead::on_header_value_complete(llhttp_t* parser) {
  RequestHead& self = from(parser);
  self.field_.clear();
  self.in_host_ = false;
  return 0;
}

// The head is all the dashboard needs: pausing here leaves any body unread.
int RequestHead::on_headers_complete(llhttp_t* parser) {
  RequestHead& self = from(parser);
  self.method_ = llhttp_method_name(static_cast<llhttp_method_t>(llhttp_get_method(parser)));
  return HPE_PAUSED;
}

}  // namespace lueng::dashboard
