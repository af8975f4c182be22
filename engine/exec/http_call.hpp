#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "engine/exec/expected_statuses.hpp"
#include "engine/http/client.hpp"
#include "engine/http/cookie_jar.hpp"
#include "engine/http/request_compression.hpp"
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
  int64_t max_redirects = 10;
  uint64_t max_body_bytes = 0;  // maxResponseBodySize; 0: no limit
  std::string name_tag;         // the name tag (and url tag): the URL unless the script set one
  // params.jar: a jar of the script's own (http.CookieJar()) that this request and
  // its redirects use instead of the VU's; null for the VU's jar. The caller keeps
  // the jar alive until the request is done.
  http::CookieJar* jar = nullptr;
  // k6's response callback: which statuses count as expected (null: k6's default,
  // 200-399). With `response_callback` false (http.setResponseCallback(nil)) no
  // request is judged: no expected_response tag and no http_req_failed sample.
  // Points at the script's http.setResponseCallback() setting (kept alive by the
  // Lua state) or at rare().own_expected (params.responseCallback, copied).
  const ExpectedStatuses* expected = nullptr;
  // The flags together: every VU has an HttpCall.
  bool discard_body = false;
  bool name_from_script = false;  // params.tags.name was given: every redirect hop keeps it
  bool response_callback = true;
  // params.throw: a request that gets no response raises a Lua error (default: the
  // throw option).
  bool throw_on_error = false;

  // A request-scoped cookie (params.cookies): sent with this request only; with
  // `replace`, the jar's cookie of that name is not sent.
  struct RequestCookie {
    std::string name, value;
    bool replace = false;
  };
  // What few requests carry, kept apart so that a VU that never sends them does
  // not pay their bytes (every VU has an HttpCall): made by the VU's first use.
  struct Rare {
    ExpectedStatuses own_expected;  // params.responseCallback, copied
    // params.compression ("gzip", "deflate", "gzip, deflate"): the body is
    // compressed and Content-Encoding set when the request is filled in;
    // compressor and content_encoding are kept for it.
    std::string compression;
    http::BodyCompressor compressor;
    std::string content_encoding;
    std::vector<RequestCookie> cookies;  // params.cookies; cookies_used are this request's
    size_t cookies_used = 0;
  };
  Rare& rare() {
    if (!rare_) rare_ = std::make_unique<Rare>();
    return *rare_;
  }
  // params.compression of this request, "" when none.
  std::string_view compression() const {
    return rare_ ? std::string_view(rare_->compression) : std::string_view();
  }

  // Clears the script's data; the defaults come from the run's options.
  void reset(bool discard_body_default = false, int64_t max_redirects_default = 10,
             uint64_t max_body_bytes_default = 0, bool throw_default = false);
  void add_cookie(std::string_view name, std::string_view value, bool replace);
  std::span<const RequestCookie> cookies() const {
    if (!rare_) return {};
    return {rare_->cookies.data(), rare_->cookies_used};
  }
  // Parses text into url, unless it is the text the last successful call parsed:
  // scripts send the same URL request after request, and comparing is far cheaper
  // than parsing. False (with error set) when text is not a valid URL.
  bool set_url(std::string_view text, std::string* error);
  // k6's default name tag of the URL set last: the URL as given (query included),
  // credentials masked.
  std::string_view url_name() const { return url_text; }
  // Whether `status` counts as expected (k6's expected_response).
  bool expects(int status) const {
    return expected ? expected->match(status) : status >= 200 && status < 400;
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
  std::string url_given_;    // the text set_url() parsed last, credentials and all
  bool url_parsed_ = false;  // url holds the parse of url_given_
  std::unique_ptr<Rare> rare_;
};

}  // namespace lueng::exec
