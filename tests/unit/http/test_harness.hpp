#pragma once

// Runs the HTTP client on a private uv loop for one test and checks on the way out
// that every libuv handle was closed and freed (uv_loop_close succeeds).

#include <catch2/catch.hpp>

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <uv.h>

#include "engine/http/client.hpp"
#include "engine/http/session.hpp"
#include "engine/http/tls_material.hpp"

namespace lueng::http::testing {

struct Recorder final : ResponseHandler {
  int calls = 0;
  std::function<void(ResponseData&)> then;

  void on_response(ResponseData& response) override {
    ++calls;
    if (then) then(response);
  }
};

class Harness {
 public:
  explicit Harness(std::string user_agent = "lueng-test/1.0",
                   std::shared_ptr<const TlsMaterial> tls = nullptr,
                   LookupFunction lookup = system_lookup)
      : loop_(new uv_loop_t) {
    uv_loop_init(loop_.get());
    client_ = std::make_unique<Client>(loop_.get(), std::move(user_agent), std::move(tls), lookup);
    session_ = std::make_unique<Session>(*client_);
  }

  ~Harness() {
    session_.reset();
    client_.reset();
    uv_run(loop_.get(), UV_RUN_DEFAULT);  // lets close callbacks free the handles
    CHECK(uv_loop_close(loop_.get()) == 0);
  }

  uv_loop_t* loop() { return loop_.get(); }
  Client& client() { return *client_; }
  Session& session() { return *session_; }
  void destroy_session() { session_.reset(); }
  void destroy_client() { client_.reset(); }

  // A request for `url_text` with the given tweaks; the Url lives in the harness.
  Request request(const std::string& url_text, std::string_view method = "GET") {
    urls_.push_back(std::make_unique<Url>(*parse_url(url_text)));
    Request request;
    request.method = method;
    request.url = urls_.back().get();
    request.timeout_seconds = 5;
    return request;
  }

  // Sends and runs the loop until the handler has been called.
  ResponseData& run(const Request& request) {
    int before = recorder.calls;
    session_->send(request, response, &recorder);
    CHECK(recorder.calls == before);  // never called from inside send()
    uv_run(loop_.get(), UV_RUN_DEFAULT);
    REQUIRE(recorder.calls == before + 1);
    return response;
  }

  ResponseData& get(const std::string& url_text) { return run(request(url_text)); }

  // Runs the loop for about `milliseconds`, whatever else is pending.
  void run_for(uint64_t milliseconds) {
    uv_timer_t timer;
    uv_timer_init(loop_.get(), &timer);
    uv_timer_start(
        &timer, [](uv_timer_t* self) { uv_stop(self->loop); }, milliseconds, 0);
    uv_run(loop_.get(), UV_RUN_DEFAULT);
    uv_close(reinterpret_cast<uv_handle_t*>(&timer), nullptr);
    uv_run(loop_.get(), UV_RUN_NOWAIT);
  }

  ResponseData response;
  Recorder recorder;

 private:
  std::unique_ptr<uv_loop_t> loop_;
  std::unique_ptr<Client> client_;
  std::unique_ptr<Session> session_;
  std::vector<std::unique_ptr<Url>> urls_;
};

}  // namespace lueng::http::testing
