#include "engine/exec/http_flight.hpp"

#include <ctime>

#include "engine/exec/http_debug.hpp"
#include "engine/exec/http_options.hpp"
#include "engine/exec/response_pool.hpp"
#include "engine/exec/run_plan.hpp"
#include "engine/exec/samples.hpp"
#include "engine/exec/vu.hpp"
#include "engine/http/ascii.hpp"

namespace lueng::exec {

namespace {

bool is_redirect(int status) {
  return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
}

bool same_host(const http::Url& a, const http::Url& b) {
  return a.host == b.host;
}

}  // namespace

HttpFlight::HttpFlight(Vu& vu, http::CookieJar& jar, http::Client& client)
    : vu_(vu),
      vu_jar_(jar),
      own_session_(std::make_unique<http::Session>(client)),
      session_(*own_session_),
      exchange_(session_) {
  // k6's localIPs: the VU with id N connects from the pool's address N - 1.
  if (const http::IpPool& pool = vu.http_options().local_ips; !pool.empty()) {
    http::IpAddress local = pool.at(vu.id() > 0 ? vu.id() - 1 : 0);
    own_session_->set_local_address(local.get());
  }
}

HttpFlight::HttpFlight(Vu& vu, http::CookieJar& jar, http::Session& shared)
    : vu_(vu), vu_jar_(jar), session_(shared), exchange_(session_) {}

void HttpFlight::start(HttpCall& call, PooledResponse& response, Listener& listener) {
  call_ = &call;
  response_ = &response;
  listener_ = &listener;
  url_ = &call.url;
  method_ = call.method;
  body_ = call.body;
  redirects_ = 0;
  other_host_ = false;
  body_dropped_ = false;
  pace_then_send();
}

// As k6, the wait comes before the request is timed, and redirects are not
// requests of their own to wait for.
void HttpFlight::pace_then_send() {
  int64_t rps = vu_.http_options().rps;
  if (rps > 0) {
    uint64_t now = uv_hrtime();
    uint64_t start = vu_.run_shared().requests.reserve(now, 1'000'000'000ULL / rps);
    if (start > now) {
      if (!pace_timer_) {
        pace_timer_ = new uv_timer_t;
        uv_timer_init(vu_.loop(), pace_timer_);
        pace_timer_->data = this;
      }
      uv_update_time(vu_.loop());  // the loop's clock may be a callback behind
      uv_timer_start(pace_timer_, on_paced, (start - now + 999'999) / 1'000'000, 0);
      return;
    }
  }
  send_hop();
}

void HttpFlight::on_paced(uv_timer_t* timer) {
  auto& flight = *static_cast<HttpFlight*>(timer->data);
  if (flight.listener_) flight.send_hop();
}

HttpFlight::~HttpFlight() {
  if (pace_timer_)
    uv_close(reinterpret_cast<uv_handle_t*>(pace_timer_),
             [](uv_handle_t* handle) { delete reinterpret_cast<uv_timer_t*>(handle); });
}

void HttpFlight::abandon() {
  if (pace_timer_) uv_timer_stop(pace_timer_);
  exchange_.abandon();
  if (own_session_) session_.close_all();
  call_ = nullptr;
  response_ = nullptr;
  listener_ = nullptr;
}

http::CookieJar& HttpFlight::cookie_jar() {
  return call_->jar ? *call_->jar : vu_jar_;
}

void HttpFlight::build_headers() {
  headers_.clear();
  std::span<const http::Header> script_headers = call_->headers();
  const http::Header* script_cookie = nullptr;
  bool script_authorization = false;
  for (const http::Header& header : script_headers) {
    bool authorization = http::ascii_iequals(header.name, "Authorization");
    bool credentials = authorization || http::ascii_iequals(header.name, "Cookie");
    // Go's client (and so k6) does not hand credentials to another host.
    if (other_host_ && credentials) continue;
    if (body_dropped_ && (http::ascii_iequals(header.name, "Content-Type") ||
                          http::ascii_iequals(header.name, "Content-Length")))
      continue;
    if (http::ascii_iequals(header.name, "Cookie")) {
      script_cookie = &header;
      continue;
    }
    script_authorization = script_authorization || authorization;
    headers_.push_back(header);
  }
  // A URL's user:password, unless the script sent an Authorization of its own
  // (as Go's client): the hop's own, or the first URL's while on its host.
  const std::string& url_credentials =
      url_->basic_auth.empty() && !other_host_ ? call_->url.basic_auth : url_->basic_auth;
  if (!url_credentials.empty() && !script_authorization)
    headers_.push_back({"Authorization", url_credentials});

  // Cookies: the script's Cookie header, then params.cookies, then the jar's.
  // Nothing to do (and nothing allocated) for a VU that has none.
  const http::CookieJar& jar = cookie_jar();
  auto request_cookies = call_->cookies();
  if (!script_cookie && request_cookies.empty() && jar.empty()) return;
  cookie_header_.clear();
  auto append = [&](std::string_view name, std::string_view value) {
    if (!cookie_header_.empty()) cookie_header_.append("; ");
    cookie_header_.append(name);
    cookie_header_ += '=';
    cookie_header_.append(value);
  };
  if (script_cookie) cookie_header_.append(script_cookie->value);
  for (const auto& cookie : request_cookies) append(cookie.name, cookie.value);
  if (!jar.empty()) {
    jar.for_each_match(*url_, std::time(nullptr), [&](const http::Cookie& cookie) {
      for (const auto& own : request_cookies)
        if (own.replace && own.name == cookie.name) return;
      append(cookie.name, cookie.value);
    });
  }
  if (!cookie_header_.empty()) headers_.push_back({"Cookie", cookie_header_});
}

http::Request HttpFlight::hop_request() const {
  http::Request request;
  request.method = method_;
  request.url = url_;
  request.headers = headers_;
  request.body = body_;
  request.timeout_seconds = call_->timeout_seconds;
  request.discard_body = call_->discard_body;
  request.max_body_bytes = call_->max_body_bytes;
  request.close_connection = vu_.http_options().no_connection_reuse;
  return request;
}

void HttpFlight::send_hop() {
  build_headers();
  exchange_.start(hop_request(), response_->data, this);
}

void HttpFlight::print_hop(const http::ResponseData& response) const {
  HttpDebugSource source{vu_.id(), vu_.iteration_in_scenario(), vu_.scenario_name()};
  print_http_exchange(vu_.http_options().http_debug, source, hop_request(),
                      session_.client().user_agent(), response);
}

void HttpFlight::store_cookies(const http::ResponseData& response) {
  int64_t now = -1;
  for (size_t i = 0; i < response.header_count(); ++i) {
    if (!http::ascii_iequals(response.header_name(i), "Set-Cookie")) continue;
    if (now < 0) now = std::time(nullptr);
    cookie_jar().store(*url_, response.header_value(i), now);
  }
}

bool HttpFlight::wants_redirect(const http::ResponseData& response) const {
  // A 3xx without a Location is the answer, as in Go's client (and so k6).
  return response.error_code == http::ErrorCode::kNone && is_redirect(response.status) &&
         redirects_ < call_->max_redirects && !response.header("Location").empty();
}

bool HttpFlight::read_location(const http::ResponseData& response, std::string* error) {
  if (!redirects_state_) redirects_state_ = std::make_unique<Redirects>();
  Redirects& r = *redirects_state_;
  http::resolve_reference(*url_, response.header("Location"), r.location_text);
  // Into next_url: url_ may be hop_url, and this hop's cookies are stored for it.
  return http::parse_url_into(r.location_text, r.next_url, error);
}

void HttpFlight::fail_redirect(http::ResponseData& response, std::string_view problem) {
  // As k6 fails a redirect it cannot follow ("failed to parse Location header",
  // "unsupported protocol scheme"): error_code 1000 and status 0, nothing of the
  // response (its cookies included) taken for real.
  response.status = 0;
  response.headers.clear();
  response.header_bytes.clear();
  response.error_code = http::ErrorCode::kGeneric;
  response.error.assign("cannot follow the redirect: ");
  response.error.append(problem);
}

void HttpFlight::follow_redirect(int status) {
  Redirects& r = *redirects_state_;  // read_location made it
  std::swap(r.hop_url, r.next_url);
  http::redact_url(r.location_text, r.hop_url_text);
  url_ = &r.hop_url;
  ++redirects_;
  if (!same_host(r.hop_url, call_->url)) other_host_ = true;
  // 301/302/303 turn a request with a body into a GET (browsers, Go, k6); 307/308
  // repeat it as it was.
  bool to_get = status == 303
                    ? method_ != "HEAD"
                    : (status == 301 || status == 302) && method_ != "GET" && method_ != "HEAD";
  if (to_get) {
    method_ = "GET";
    body_ = {};
    body_dropped_ = true;
  }
}

void HttpFlight::keep_request(PooledResponse& done) const {
  if (!done.sent) done.sent = std::make_unique<PooledResponse::SentRequest>();
  std::string& headers = done.sent->headers;
  headers.clear();
  for (const http::Header& header : headers_) {
    headers.append(header.name);
    headers += '\0';
    headers.append(header.value);
    headers += '\0';
  }
  done.sent->body.assign(body_);
}

void HttpFlight::on_response(http::ResponseData& response) {
  // Before a redirect that cannot be followed turns it into an error: as received.
  if (vu_.http_options().http_debug != HttpDebug::kOff) [[unlikely]]
    print_hop(response);
  bool first_hop = url_ == &call_->url;
  std::string_view name = call_->name_tag;
  if (!first_hop && !call_->name_from_script) {
    Redirects& r = *redirects_state_;
    name = r.hop_url_text;
  }
  bool redirect = wants_redirect(response);
  if (redirect) {
    std::string problem;
    redirect = read_location(response, &problem);
    if (!redirect) fail_redirect(response, problem);
  }
  record_http(vu_.worker(), vu_, *call_, name, method_, response);
  if (response.header_count() > 0 && !response.no_set_cookie) store_cookies(response);
  if (redirect) {
    follow_redirect(response.status);
    send_hop();
    return;
  }
  PooledResponse& done = *response_;
  if (first_hop) {
    done.url.assign(call_->url_text);
  } else {
    done.url.assign(redirects_state_->hop_url_text);
  }
  done.method.assign(method_);
  // Nothing to keep (the common request) when neither this nor the response's
  // last request had headers or a body.
  if (!headers_.empty() || !body_.empty() || done.sent) keep_request(done);
  Listener* listener = listener_;
  call_ = nullptr;
  listener_ = nullptr;
  // Last statement: the listener may start the next request on this flight.
  listener->on_flight_done(*this);
}

}  // namespace lueng::exec
