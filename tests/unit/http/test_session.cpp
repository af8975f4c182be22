// One Session carrying several Exchanges at once, against a server on loopback
// that serves its connections concurrently: parallel requests to one authority get
// connections of their own from the session's pool, and later requests reuse them.

#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <memory>
#include <string>
#include <thread>

#include "engine/http/exchange.hpp"
#include "test_harness.hpp"
#include "test_server.hpp"

using namespace lueng::http;
using namespace lueng::http::testing;

namespace {

// Answers every request with "ok", but only once `release` requests have arrived
// over all connections (or after 3 s): requests sent one after another, not
// together, would run into their 2 s timeout.
TestServer::Script answer_when(std::atomic<int>& arrived, std::atomic<int>& release) {
  return [&arrived, &release](Peer& peer, int) {
    while (!peer.read_request().empty()) {
      ++arrived;
      auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(3);
      while (arrived < release && std::chrono::steady_clock::now() < deadline)
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
      peer.send("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
    }
  };
}

}  // namespace

TEST_CASE("one Session carries several exchanges at once, sharing its connections") {
  std::atomic<int> arrived{0}, release{2};
  TestServer server(answer_when(arrived, release), false, TestServer::Serving::kConcurrently);
  Harness harness;
  Exchange first(harness.session());
  Exchange second(harness.session());
  ResponseData first_response, second_response;
  Recorder first_recorder, second_recorder;
  Request request = harness.request(server.url("/together"));
  request.timeout_seconds = 2;

  auto run_both = [&] {
    first.start(request, first_response, &first_recorder);
    second.start(request, second_response, &second_recorder);
    CHECK(first.busy());
    CHECK(second.busy());
    uv_run(harness.loop(), UV_RUN_DEFAULT);
    CHECK(first_response.status == 200);
    CHECK(second_response.status == 200);
    CHECK(first_response.body == "ok");
    CHECK(second_response.body == "ok");
  };

  run_both();
  CHECK(first_recorder.calls == 1);
  CHECK(second_recorder.calls == 1);
  CHECK(server.accepted() == 2);  // one connection each: HTTP/1.1 carries one at a time
  CHECK(harness.session().pool().size() == 2);

  release = 4;
  run_both();  // both connections were kept alive and are reused
  CHECK(server.accepted() == 2);
  CHECK(first_response.timings.connecting == 0);
  CHECK(second_response.timings.connecting == 0);

  // The session's own exchange finds them too.
  release = 5;
  ResponseData& alone = harness.get(server.url("/alone"));
  CHECK(alone.status == 200);
  CHECK(server.accepted() == 2);
  CHECK(harness.session().pool().size() == 2);
}

TEST_CASE("close_all abandons the request of every exchange on the session") {
  TestServer server(
      [](Peer& peer, int) {
        peer.read_request();  // never answers
        peer.wait_for_close();
      },
      false, TestServer::Serving::kConcurrently);
  Harness harness;
  Exchange first(harness.session());
  Exchange second(harness.session());
  ResponseData first_response, second_response;
  Recorder first_recorder, second_recorder;
  Request request = harness.request(server.url());
  first.start(request, first_response, &first_recorder);
  second.start(request, second_response, &second_recorder);
  harness.run_for(100);  // both connected and sent
  CHECK(server.accepted() == 2);
  CHECK(harness.session().pool().size() == 2);

  harness.session().close_all();
  CHECK_FALSE(first.busy());
  CHECK_FALSE(second.busy());
  CHECK(harness.session().pool().size() == 0);
  harness.run_for(50);
  CHECK(first_recorder.calls == 0);
  CHECK(second_recorder.calls == 0);
  CHECK(server.wait_finished(2));  // the server saw both connections close
}

TEST_CASE("abandoning one exchange closes its connection only") {
  std::atomic<int> requests{0};
  TestServer server(
      [&requests](Peer& peer, int) {
        while (!peer.read_request().empty()) {
          if (++requests == 1) continue;  // the first request is never answered
          peer.send("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
        }
      },
      false, TestServer::Serving::kConcurrently);
  Harness harness;
  Exchange stuck(harness.session());
  ResponseData stuck_response;
  Recorder stuck_recorder;
  stuck.start(harness.request(server.url("/stuck")), stuck_response, &stuck_recorder);
  harness.run_for(100);
  REQUIRE(requests == 1);

  // A second exchange gets a second connection; the loop stops at its answer, with
  // the first request still waiting.
  Exchange other(harness.session());
  ResponseData other_response;
  Recorder other_recorder;
  other_recorder.then = [&](ResponseData&) { uv_stop(harness.loop()); };
  other.start(harness.request(server.url("/other")), other_response, &other_recorder);
  uv_run(harness.loop(), UV_RUN_DEFAULT);
  REQUIRE(other_recorder.calls == 1);
  CHECK(other_response.status == 200);
  CHECK(stuck.busy());
  CHECK(harness.session().pool().size() == 2);
  stuck.abandon();
  CHECK(harness.session().pool().size() == 1);
  CHECK(harness.get(server.url("/again")).status == 200);  // the kept one serves on
  CHECK(server.accepted() == 2);
  CHECK(stuck_recorder.calls == 0);
}

TEST_CASE("requests alternating between two ports of one host keep a connection each") {
  auto answer = [](Peer& peer, int) {
    while (!peer.read_request().empty())
      peer.send("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
  };
  TestServer one(answer, false, TestServer::Serving::kConcurrently);
  TestServer two(answer, false, TestServer::Serving::kConcurrently);
  Harness harness;
  for (int i = 0; i < 3; ++i) {
    CHECK(harness.get(one.url("/one")).status == 200);
    CHECK(harness.get(two.url("/two")).status == 200);
  }
  CHECK(one.accepted() == 1);
  CHECK(two.accepted() == 1);
  CHECK(one.requests().size() == 3);
  CHECK(two.requests().size() == 3);
  CHECK(harness.session().pool().size() == 2);
}
