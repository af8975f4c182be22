#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "engine/http/client.hpp"
#include "engine/http/cookie_jar.hpp"
#include "engine/http/url.hpp"

namespace lueng::exec {

// Storage a VU reuses for every request it sends: the script's strings are copied
// in (they may be collected while the VU waits), and buffers keep their capacity
// so that steady-state requests allocate nothing.
class HttpCall {
 public:
  std::string method;
  // The URL as printed and stored (res.url, the name tag), credentials masked;
  // set through set_url(), which keeps url in step.
  std::string url_text;
  http::Url url;
  std::string body;
  double timeout_seconds = 60;
  bool discard_body = false;
  int64_t max_redirects = 10;
  uint64_t max_body_bytes = 0;    // maxResponseBodySize; 0: no limit
  std::string name_tag;           // the name tag: the URL without query unless the script set one
  bool name_from_script = false;  // params.tags.name was given: every redirect hop keeps it
  // params.jar: a jar of the script's own (http.CookieJar()) that this request and
  // its redirects use instead of the VU's; null for the VU's jar. The caller keeps
  // the jar alive until the request is done.
  http::CookieJar* jar = nullptr;

  // A request-scoped cookie (params.cookies): sent with this request only; with
  // `replace`, the jar's cookie of that name is not sent.
  struct RequestCookie {
    std::string name, value;
    bool replace = false;
  };

  // Clears the script's data; the defaults come from the run's options.
  void reset(bool discard_body_default = false, int64_t max_redirects_default = 10,
             uint64_t max_body_bytes_default = 0);
  void add_cookie(std::string_view name, std::string_view value, bool replace);
  std::span<const RequestCookie> cookies() const { return {cookies_.data(), cookies_used_}; }
  // Parses text into url, unless it is the text the last successful call parsed:
  // scripts send the same URL request after request, and comparing is far cheaper
  // than parsing. False (with error set) when text is not a valid URL.
  bool set_url(std::string_view text, std::string* error);
  // k6's default name tag of the URL set last: the URL without query or fragment.
  std::string_view url_name() const {
    return std::string_view(url_text).substr(0, url_name_length_);
  }
  void add_header(std::string_view name, std::string_view value);
  void add_tag(std::string_view key, std::string_view value);

  size_t header_count() const { return headers_used_; }
  std::span<const http::Header> headers();  // views into this object
  template <typename Visit>
  void for_each_tag(Visit&& visit) const {
    for (size_t i = 0; i < tags_used_; ++i) visit(tags_[i].first, tags_[i].second);
  }

 private:
  std::vector<std::pair<std::string, std::string>> headers_storage_;
  size_t headers_used_ = 0;
  std::vector<http::Header> header_views_;
  std::vector<std::pair<std::string, std::string>> tags_;
  size_t tags_used_ = 0;
  std::string url_given_;       // the text set_url() parsed last, credentials and all
  bool url_parsed_ = false;     // url holds the parse of url_given_
  size_t url_name_length_ = 0;  // of the prefix of url_text that is url_name()
  std::vector<RequestCookie> cookies_;
  size_t cookies_used_ = 0;
};

}  // namespace lueng::exec
