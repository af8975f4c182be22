#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <uv.h>

#include "engine/exec/http_call.hpp"
#include "engine/http/client.hpp"
#include "engine/http/exchange.hpp"
#include "engine/http/session.hpp"
#include "engine/http/url.hpp"

namespace lueng::exec {

class Vu;
struct PooledResponse;

// One request of a script as the engine carries it out on an Exchange of its own:
// the VU's cookies (its jar, kept by lueng.http's per-VU state) go out and come
// back on every hop, redirects are followed up to
// the call's limit, and every hop is measured as a request of its own (as k6 does).
// The VU's flight owns the VU's Session; http.batch's other flights send on it too,
// sharing its connections. Reused from request to request, so a plain keep-alive
// request allocates nothing.
class HttpFlight final : private http::ResponseHandler {
 public:
  class Listener {
   public:
    // The last hop is done; the flight's response holds it. Called from a loop
    // callback, never from inside start().
    virtual void on_flight_done(HttpFlight& flight) = 0;

   protected:
    ~Listener() = default;
  };

  // With a Session of its own on `client`. `jar` is the VU's cookie jar, used
  // unless a call names one of its own; it must outlive this flight.
  HttpFlight(Vu& vu, http::CookieJar& jar, http::Client& client);
  // On `shared`, another flight's Session, which must outlive this flight.
  HttpFlight(Vu& vu, http::CookieJar& jar, http::Session& shared);
  ~HttpFlight();
  HttpFlight(const HttpFlight&) = delete;
  HttpFlight& operator=(const HttpFlight&) = delete;

  // Sends `call`; `response` receives the final hop. Both must stay valid until
  // the listener is called or the flight is abandoned.
  void start(HttpCall& call, PooledResponse& response, Listener& listener);
  // Drops the request in flight; no listener call follows. A flight that owns its
  // Session also closes every connection of it, which abandons the requests of
  // the flights that share it (abandon those too).
  void abandon();
  bool busy() const { return listener_ != nullptr; }
  PooledResponse* response() const { return response_; }
  http::Session& session() { return session_; }
  http::CookieJar& vu_jar() { return vu_jar_; }

 private:
  // The rps option: sends the first hop now, or once the run's pace allows.
  void pace_then_send();
  static void on_paced(uv_timer_t* timer);
  // The hop to send (or just sent): the headers build_headers() made.
  http::Request hop_request() const;
  void send_hop();
  // httpDebug: prints the hop just answered and its response (http_debug.hpp).
  void print_hop(const http::ResponseData& response) const;
  void on_response(http::ResponseData& response) override;
  void store_cookies(const http::ResponseData& response);
  // Whether `response` is a redirect to follow: a 3xx with a Location, under the
  // call's limit.
  bool wants_redirect(const http::ResponseData& response) const;
  // Parses the Location into Redirects::next_url; false (error set) when it is no http(s)
  // URL a request can go to.
  bool read_location(const http::ResponseData& response, std::string* error);
  void fail_redirect(http::ResponseData& response, std::string_view problem);
  // Makes Redirects::next_url the hop to send; `status` decides the method.
  void follow_redirect(int status);
  void build_headers();
  // Copies what the last hop sent into `done` (res.request).
  void keep_request(PooledResponse& done) const;
  // The jar the call uses: its params.jar, or the VU's own.
  http::CookieJar& cookie_jar();

  Vu& vu_;
  http::CookieJar& vu_jar_;
  std::unique_ptr<http::Session> own_session_;  // null when sharing another's
  http::Session& session_;
  http::Exchange exchange_;  // after session_: destroyed before it
  // The rps option's wait, made by the first request that has to wait; it keeps
  // the loop running while it waits. Freed by its close callback.
  uv_timer_t* pace_timer_ = nullptr;
  HttpCall* call_ = nullptr;
  PooledResponse* response_ = nullptr;
  Listener* listener_ = nullptr;

  // The hop being sent: the call's own URL and method at first, then the
  // redirect's.
  const http::Url* url_ = nullptr;
  std::string_view method_;
  std::string_view body_;
  int64_t redirects_ = 0;
  bool other_host_ = false;    // a redirect left the first host: credentials stay behind
  bool body_dropped_ = false;  // a redirect turned the request into a GET
  // What following redirects needs, made by the first redirect a VU follows:
  // most scripts never see one, and a VU's size is what holds many VUs in memory.
  struct Redirects {
    http::Url hop_url;
    http::Url next_url;        // the Location being read; swapped into hop_url
    std::string hop_url_text;  // hop_url as printed: credentials masked
    std::string location_text;
  };
  std::unique_ptr<Redirects> redirects_state_;
  std::string cookie_header_;
  std::vector<http::Header> headers_;
};

}  // namespace lueng::exec
