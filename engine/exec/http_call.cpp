#include "engine/exec/http_call.hpp"

#include <algorithm>

namespace lueng::exec {

namespace {

void assign_slot(std::vector<std::pair<std::string, std::string>>& slots, size_t& used,
                 std::string_view first, std::string_view second) {
  if (used == slots.size()) slots.emplace_back();
  slots[used].first.assign(first);
  slots[used].second.assign(second);
  ++used;
}

}  // namespace

void HttpCall::reset(bool discard_body_default, int64_t max_redirects_default,
                     uint64_t max_body_bytes_default, bool throw_default) {
  body.clear();
  name_tag.clear();
  name_from_script = false;
  jar = nullptr;
  expected = nullptr;
  response_callback = true;
  throw_on_error = throw_default;
  if (rare_) {
    rare_->compression.clear();
    rare_->cookies_used = 0;
  }
  timeout_seconds = 60;
  discard_body = discard_body_default;
  max_redirects = max_redirects_default;
  max_body_bytes = max_body_bytes_default;
  headers_used_ = 0;
  tags_used_ = 0;
}

void HttpCall::add_cookie(std::string_view name, std::string_view value, bool replace) {
  Rare& r = rare();
  if (r.cookies_used == r.cookies.size()) r.cookies.emplace_back();
  RequestCookie& cookie = r.cookies[r.cookies_used++];
  cookie.name.assign(name);
  cookie.value.assign(value);
  cookie.replace = replace;
}

bool HttpCall::set_url(std::string_view text, std::string* error) {
  if (url_parsed_ && text == url_given_) return true;
  url_given_.assign(text);
  http::redact_url(text, url_text);
  url_parsed_ = http::parse_url_into(url_given_, url, error);
  return url_parsed_;
}

void HttpCall::add_header(std::string_view name, std::string_view value) {
  assign_slot(headers_storage_, headers_used_, name, value);
}

void HttpCall::add_tag(std::string_view key, std::string_view value) {
  assign_slot(tags_, tags_used_, key, value);
}

std::span<const http::Header> HttpCall::headers() {
  header_views_.resize(headers_used_);
  for (size_t i = 0; i < headers_used_; ++i)
    header_views_[i] = {headers_storage_[i].first, headers_storage_[i].second};
  return header_views_;
}

}  // namespace lueng::exec
