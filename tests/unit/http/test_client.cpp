#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <uv.h>
#include <zlib.h>

#include "test_harness.hpp"
#include "test_server.hpp"

using namespace lueng::http;
using namespace lueng::http::testing;
using namespace std::chrono_literals;

namespace {

const std::string kHello = "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello";

// A server that answers every request on every connection with `response`.
TestServer::Script always(std::string response) {
  return [response](Peer& peer, int) {
    while (!peer.read_request().empty()) peer.send(response);
  };
}

std::string fmt_hex(size_t value) {
  char text[32];
  std::snprintf(text, sizeof text, "%zx", value);
  return text;
}

std::string port_text(const TestServer& server) {
  return std::to_string(server.port());
}

// A resolver that knows a few names, the way a name server would answer them.
int scripted_lookup(const std::string& host, AddressList& addresses) {
  if (host == "nx.test") return UV_EAI_NONAME;          // NXDOMAIN
  if (host == "no-address.test") return UV_EAI_NODATA;  // the name has no A or AAAA
  if (host == "servfail.test") return UV_EAI_AGAIN;     // no answer, or a server failure
  sockaddr_storage address{};
  uv_ip4_addr("127.0.0.1", 0, reinterpret_cast<sockaddr_in*>(&address));
  addresses.push_back(address);
  return 0;
}

// A resolver stuck as getaddrinfo is behind a name server that never answers,
// until the test lets it go (or a minute passes, so that a broken test ends).
struct Hang {
  std::mutex mutex;
  std::condition_variable released_cv;
  bool released = false;
  std::atomic<int> returned{0};

  void release() {
    std::lock_guard lock(mutex);
    released = true;
    released_cv.notify_all();
  }
};
// Never destroyed: a resolver thread may still be leaving it when the tests end.
Hang& hang = *new Hang;

int hanging_lookup(const std::string&, AddressList&) {
  std::unique_lock lock(hang.mutex);
  hang.released_cv.wait_for(lock, 60s, [] { return hang.released; });
  hang.returned.fetch_add(1);
  return UV_EAI_AGAIN;
}

}  // namespace

TEST_CASE("a Content-Length response is read whole, with exact byte counts") {
  TestServer server(always(
      "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 11\r\n\r\nhello world"));
  Harness harness;
  ResponseData& response = harness.get(server.url("/greet?x=1"));
  CHECK(response.error_code == ErrorCode::kNone);
  CHECK(response.error.empty());
  CHECK(response.status == 200);
  CHECK(response.http_minor == 1);
  CHECK(response.body == "hello world");
  CHECK(response.header("content-type") == "text/plain");
  CHECK(response.header("Content-Length") == "11");
  CHECK(response.bytes_received == 76);  // the canned response above, all of it
  auto requests = server.requests();
  REQUIRE(requests.size() == 1);
  CHECK(response.bytes_sent == requests[0].size());
  CHECK(requests[0] == "GET /greet?x=1 HTTP/1.1\r\nHost: 127.0.0.1:" + port_text(server) +
                           "\r\nUser-Agent: lueng-test/1.0\r\n\r\n");
}

TEST_CASE("a chunked response is reassembled") {
  const std::string wire =
      "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
      "4\r\nWiki\r\n6\r\npedia \r\nE\r\nin \r\n\r\nchunks.\r\n0\r\n\r\n";
  TestServer server(always(wire));
  Harness harness;
  ResponseData& response = harness.get(server.url());
  CHECK(response.error_code == ErrorCode::kNone);
  CHECK(response.body == "Wikipedia in \r\n\r\nchunks.");
  CHECK(response.bytes_received == wire.size());
}

TEST_CASE("keep-alive: two requests share one connection") {
  TestServer server(always(kHello));
  Harness harness;
  CHECK(harness.get(server.url("/one")).body == "hello");
  CHECK(harness.get(server.url("/two")).body == "hello");
  CHECK(harness.response.timings.connecting == 0);  // reused, nothing to connect
  CHECK(harness.response.timings.blocked == 0);     // it was ready: no wait
  CHECK(server.accepted() == 1);
  auto requests = server.requests();
  REQUIRE(requests.size() == 2);
  CHECK_THAT(requests[1], Catch::StartsWith("GET /two HTTP/1.1\r\n"));
}

TEST_CASE("a host that only begins or ends like the last one gets its own connection") {
  // The server listens on 127.0.0.1 only: 127.0.0.10 on the same port refuses,
  // so reusing the first host's connection for it would show as a 200.
  TestServer server(always(kHello));
  Harness harness;
  std::string port = port_text(server);
  CHECK(harness.get("http://127.0.0.10:" + port + "/").error_code == ErrorCode::kConnectionRefused);
  CHECK(harness.get("http://127.0.0.1:" + port + "/").body == "hello");
  CHECK(harness.get("http://127.0.0.10:" + port + "/").error_code == ErrorCode::kConnectionRefused);
  CHECK(harness.get("http://127.0.0.1:" + port + "/").body == "hello");
  CHECK(server.accepted() == 1);
}

TEST_CASE("Connection: close ends the connection, the next request opens a new one") {
  TestServer server([](Peer& peer, int index) {
    if (index == 0) {
      peer.read_request();
      peer.send(kHello);
      peer.read_request();
      peer.send("HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 3\r\n\r\nbye");
      peer.wait_for_close();  // the client must close first, not wait for us
    } else {
      while (!peer.read_request().empty()) peer.send(kHello);
    }
  });
  Harness harness;
  CHECK(harness.get(server.url()).body == "hello");
  CHECK(harness.get(server.url()).body == "bye");
  REQUIRE(server.wait_finished(1));
  CHECK(harness.get(server.url()).body == "hello");
  CHECK(server.accepted() == 2);
}

TEST_CASE("a response trickling in one byte at a time") {
  const std::string wire =
      "HTTP/1.1 200 OK\r\nX-Slow: yes\r\nTransfer-Encoding: chunked\r\n\r\n"
      "3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n";
  TestServer server([wire](Peer& peer, int) {
    while (!peer.read_request().empty()) peer.send_slowly(wire);
  });
  Harness harness;
  ResponseData& response = harness.get(server.url());
  CHECK(response.error_code == ErrorCode::kNone);
  CHECK(response.status == 200);
  CHECK(response.header("x-slow") == "yes");
  CHECK(response.body == "abcde");
  CHECK(response.bytes_received == wire.size());
  CHECK(response.timings.receiving > 10);            // ~80 bytes, 0.5 ms apart at least
  CHECK(harness.get(server.url()).body == "abcde");  // still in step afterwards
  CHECK(server.accepted() == 1);
}

TEST_CASE("204, 304 and HEAD responses have no body and keep the connection in step") {
  TestServer server([](Peer& peer, int) {
    peer.read_request();
    peer.send("HTTP/1.1 204 No Content\r\n\r\n");
    peer.read_request();
    peer.send("HTTP/1.1 304 Not Modified\r\nContent-Length: 100\r\nETag: \"x\"\r\n\r\n");
    peer.read_request();
    peer.send("HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n");
    while (!peer.read_request().empty()) peer.send(kHello);
  });
  Harness harness;
  ResponseData& response = harness.get(server.url());
  CHECK(response.status == 204);
  CHECK(response.body.empty());
  harness.get(server.url());
  CHECK(response.status == 304);
  CHECK(response.header("etag") == "\"x\"");
  CHECK(response.body.empty());
  harness.run(harness.request(server.url(), "HEAD"));
  CHECK(response.error_code == ErrorCode::kNone);
  CHECK(response.status == 200);
  CHECK(response.header("content-length") == "1000");
  CHECK(response.body.empty());
  CHECK(harness.get(server.url()).body == "hello");
  CHECK(server.accepted() == 1);
  CHECK_THAT(server.requests()[2], Catch::StartsWith("HEAD / HTTP/1.1\r\n"));
}

TEST_CASE("100 Continue before the real response is skipped") {
  const std::string wire =
      "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 201 Created\r\nLocation: /x/1\r\nContent-Length: "
      "2\r\n\r\nok";
  TestServer server(always(wire));
  Harness harness;
  Request request = harness.request(server.url("/x"), "POST");
  request.body = "data";
  ResponseData& response = harness.run(request);
  CHECK(response.error_code == ErrorCode::kNone);
  CHECK(response.status == 201);
  CHECK(response.header("location") == "/x/1");
  CHECK(response.header_count() == 2);
  CHECK(response.body == "ok");
  CHECK(response.bytes_received == wire.size());
}

TEST_CASE("a body delimited by the connection's end") {
  TestServer server([](Peer& peer, int) {
    if (peer.read_request().empty()) return;
    peer.send("HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\nuntil the end");
    peer.close();
  });
  Harness harness;
  ResponseData& response = harness.get(server.url());
  CHECK(response.error_code == ErrorCode::kNone);
  CHECK(response.http_minor == 0);
  CHECK(response.body == "until the end");
  CHECK(harness.get(server.url()).body == "until the end");
  CHECK(server.accepted() == 2);
}

TEST_CASE("large bodies both ways: partial writes and many reads") {
  const std::string big_body(3 * 1024 * 1024 + 17, 'q');
  std::string big_response =
      "HTTP/1.1 200 OK\r\nContent-Length: " + std::to_string(big_body.size()) + "\r\n\r\n" +
      big_body;
  TestServer server(always(big_response));
  Harness harness;
  std::string upload(8 * 1024 * 1024, 'u');
  Request request = harness.request(server.url("/upload"), "POST");
  request.body = upload;
  ResponseData& response = harness.run(request);
  CHECK(response.error_code == ErrorCode::kNone);
  CHECK(response.body.size() == big_body.size());
  CHECK(response.body == big_body);
  CHECK(response.bytes_received == big_response.size());
  auto requests = server.requests();
  REQUIRE(requests.size() == 1);
  CHECK(requests[0].size() == response.bytes_sent);
  CHECK(requests[0].substr(requests[0].size() - upload.size()) == upload);
}

TEST_CASE("discard_body counts the body but keeps none of it") {
  TestServer server(always(kHello));
  Harness harness;
  Request request = harness.request(server.url());
  request.discard_body = true;
  ResponseData& response = harness.run(request);
  CHECK(response.status == 200);
  CHECK(response.body.empty());
  CHECK(response.body_discarded);
  CHECK(response.bytes_received == kHello.size());
}

TEST_CASE("the request as the server receives it") {
  TestServer server(always(kHello));
  Harness harness;

  Request post = harness.request(server.url("/orders?draft=1"), "POST");
  std::vector<Header> headers{{"Content-Type", "application/json"}, {"X-Trace", "abc"}};
  post.headers = headers;
  post.body = R"({"id":7})";
  harness.run(post);

  Request get = harness.request(server.url("/"));
  std::vector<Header> overrides{{"host", "virtual.example"}, {"user-agent", "custom/2"}};
  get.headers = overrides;
  harness.run(get);

  auto requests = server.requests();
  REQUIRE(requests.size() == 2);
  CHECK(requests[0] == "POST /orders?draft=1 HTTP/1.1\r\nHost: 127.0.0.1:" + port_text(server) +
                           "\r\nUser-Agent: lueng-test/1.0\r\nContent-Type: application/json\r\n"
                           "X-Trace: abc\r\nContent-Length: 8\r\n\r\n{\"id\":7}");
  CHECK(requests[1] == "GET / HTTP/1.1\r\nhost: virtual.example\r\nuser-agent: custom/2\r\n\r\n");
  CHECK(harness.response.bytes_sent == requests[1].size());
}

TEST_CASE("a response read whole in one read took no time to receive") {
  // Its first and last bytes arrived together: one clock read times both.
  TestServer server([](Peer& peer, int) {
    while (!peer.read_request().empty()) {
      std::this_thread::sleep_for(20ms);
      peer.send("HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\nbody");
    }
  });
  Harness harness;
  uint64_t before = uv_hrtime();
  ResponseData& response = harness.get(server.url());
  REQUIRE(response.error_code == ErrorCode::kNone);
  CHECK(response.body == "body");
  CHECK(response.timings.receiving == 0);
  CHECK(response.timings.waiting >= 15);
  CHECK(response.timings.duration == response.timings.sending + response.timings.waiting);
  // The samples' time is when the last byte was read.
  CHECK(response.completed_ns >= before + 15'000'000);
  CHECK(response.completed_ns <= uv_hrtime());
}

TEST_CASE("timings are non-negative and duration is sending + waiting + receiving") {
  TestServer server([](Peer& peer, int) {
    while (!peer.read_request().empty()) {
      std::this_thread::sleep_for(60ms);
      peer.send("HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\n");
      std::this_thread::sleep_for(30ms);
      peer.send("body");
    }
  });
  Harness harness;
  for (int i = 0; i < 2; ++i) {
    ResponseData& response = harness.get(server.url());
    const Timings& t = response.timings;
    REQUIRE(response.error_code == ErrorCode::kNone);
    for (double value :
         {t.blocked, t.connecting, t.tls_handshaking, t.sending, t.waiting, t.receiving}) {
      CHECK(value >= 0);
    }
    CHECK(t.tls_handshaking == 0);
    CHECK(t.waiting >= 50);
    CHECK(t.waiting < 1000);
    CHECK(t.receiving >= 20);
    CHECK(t.duration == t.sending + t.waiting + t.receiving);
    CHECK(t.duration >= 80);
    CHECK(response.completed_ns > 0);
  }
}

TEST_CASE("a refused connection is an error with status 0") {
  uint16_t port = unused_port();
  Harness harness;
  ResponseData& response = harness.get("http://127.0.0.1:" + std::to_string(port) + "/");
  CHECK(response.status == 0);
  CHECK(response.error_code == ErrorCode::kConnectionRefused);
  CHECK(response.error ==
        "dial tcp 127.0.0.1:" + std::to_string(port) + ": connect: connection refused");
  CHECK(response.bytes_received == 0);
}

TEST_CASE("the server closing mid-body is an unexpected EOF") {
  TestServer server([](Peer& peer, int) {
    peer.read_request();
    peer.send("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nonly part");
  });
  Harness harness;
  ResponseData& response = harness.get(server.url());
  CHECK(response.error_code == ErrorCode::kUnexpectedEof);
  CHECK(response.error == "unexpected EOF");
  CHECK(server.accepted() == 1);
}

// k6 counts a request whose body could not be read as failed: status 0, none of
// the headers of the incomplete answer, the error set; the bytes that did arrive
// stay in the body and the timings run up to the failure.
TEST_CASE("every failure after the status line leaves status 0 and no headers") {
  const std::string head_200 = "HTTP/1.1 200 OK\r\nSet-Cookie: a=1\r\nContent-Length: 100\r\n\r\n";
  const std::string chunked_200 =
      "HTTP/1.1 200 OK\r\nSet-Cookie: a=1\r\nTransfer-Encoding: chunked\r\n\r\n";
  struct Case {
    const char* what;
    TestServer::Script script;
    ErrorCode code;
  };
  const Case cases[] = {
      {"timeout mid-body",
       [&](Peer& peer, int) {
         peer.read_request();
         peer.send(head_200 + "only part");
         peer.wait_for_close();
       },
       ErrorCode::kRequestTimeout},
      {"reset mid-body",
       [&](Peer& peer, int) {
         peer.read_request();
         peer.send(head_200 + "only part");
         std::this_thread::sleep_for(20ms);
         peer.reset();
       },
       ErrorCode::kConnectionReset},
      {"chunked body cut off",
       [&](Peer& peer, int) {
         peer.read_request();
         peer.send(chunked_200 + "9\r\nonly part\r\n");
       },
       ErrorCode::kUnexpectedEof},
      {"malformed chunk",
       [&](Peer& peer, int) {
         peer.read_request();
         peer.send(chunked_200 + "9\r\nonly part\r\nzz\r\n");
         peer.wait_for_close();
       },
       ErrorCode::kMalformedResponse},
  };
  for (const Case& c : cases) {
    DYNAMIC_SECTION(c.what) {
      TestServer server(c.script);
      Harness harness;
      Request request = harness.request(server.url());
      request.timeout_seconds = 0.3;
      ResponseData& response = harness.run(request);
      CHECK(response.error_code == c.code);
      CHECK_FALSE(response.error.empty());
      CHECK(response.status == 0);
      CHECK(response.header_count() == 0);
      CHECK(response.header("set-cookie").empty());
      CHECK(response.body == "only part");
      CHECK(response.bytes_received > head_200.size() - 10);
      CHECK(response.timings.duration ==
            response.timings.sending + response.timings.waiting + response.timings.receiving);
      CHECK(response.timings.receiving > 0);
      // The phases cover the request up to its timeout (300 ms after it started).
      const Timings& t = response.timings;
      if (c.code == ErrorCode::kRequestTimeout) CHECK(t.blocked + t.connecting + t.duration >= 250);
    }
  }
}

TEST_CASE("a fresh connection closed before any answer is not retried") {
  TestServer server([](Peer& peer, int) { peer.read_request(); });
  Harness harness;
  ResponseData& response = harness.get(server.url());
  CHECK(response.status == 0);
  CHECK(response.error_code == ErrorCode::kUnexpectedEof);
  CHECK(response.error == "EOF");
  REQUIRE(server.wait_finished(1));
  std::this_thread::sleep_for(50ms);
  CHECK(server.accepted() == 1);
}

TEST_CASE("a reset connection is reported as such") {
  TestServer server([](Peer& peer, int) {
    peer.read_request();
    peer.reset();
  });
  Harness harness;
  ResponseData& response = harness.get(server.url());
  CHECK(response.error_code == ErrorCode::kConnectionReset);
  CHECK_THAT(response.error, Catch::StartsWith("read tcp 127.0.0.1:"));
  CHECK_THAT(response.error, Catch::EndsWith("->127.0.0.1:" + port_text(server) +
                                             ": read: connection reset by peer"));
}

TEST_CASE("garbage instead of HTTP is a malformed response, and the connection is dropped") {
  TestServer server([](Peer& peer, int index) {
    if (index == 0) {
      peer.read_request();
      peer.send("SSH-2.0-OpenSSH_9.2\r\n\r\n");
      peer.wait_for_close();
    } else {
      while (!peer.read_request().empty()) peer.send(kHello);
    }
  });
  Harness harness;
  ResponseData& response = harness.get(server.url());
  CHECK(response.error_code == ErrorCode::kMalformedResponse);
  CHECK_THAT(response.error, Catch::StartsWith("malformed HTTP response"));
  CHECK(harness.get(server.url()).body == "hello");
  CHECK(server.accepted() == 2);
}

TEST_CASE("a server that never answers times out") {
  TestServer server([](Peer& peer, int) {
    peer.read_request();
    peer.wait_for_close();
  });
  Harness harness;
  Request request = harness.request(server.url());
  request.timeout_seconds = 0.2;
  auto start = std::chrono::steady_clock::now();
  ResponseData& response = harness.run(request);
  double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  CHECK(response.error_code == ErrorCode::kRequestTimeout);
  CHECK(response.error == "request timeout");
  CHECK(response.status == 0);
  CHECK(elapsed >= 0.19);
  CHECK(elapsed < 1.0);
  // The timed-out connection was closed, not left to the server.
  CHECK(server.wait_finished(1));
}

TEST_CASE("a keep-alive connection the server closed while idle is retried transparently") {
  TestServer server([](Peer& peer, int index) {
    if (peer.read_request().empty()) return;
    peer.send(kHello);
    if (index == 0) return;  // closes the idle connection
    while (!peer.read_request().empty()) peer.send(kHello);
  });
  Harness harness;
  CHECK(harness.get(server.url()).body == "hello");
  // The client has not run its loop since, so it still believes the connection is
  // alive and reuses it: the request meets the server's FIN and must be repeated.
  REQUIRE(server.wait_finished(1));
  std::this_thread::sleep_for(20ms);
  ResponseData& response = harness.get(server.url("/again"));
  CHECK(response.error_code == ErrorCode::kNone);
  CHECK(response.error.empty());
  CHECK(response.body == "hello");
  CHECK(server.accepted() == 2);
  CHECK(response.bytes_received == kHello.size());
  auto requests = server.requests();
  REQUIRE(requests.size() == 2);
  CHECK_THAT(requests[1], Catch::StartsWith("GET /again "));
}

TEST_CASE("an idle connection closed by the server is noticed while the loop runs") {
  TestServer server([](Peer& peer, int) {
    if (peer.read_request().empty()) return;
    peer.send(kHello);
  });
  Harness harness;
  CHECK(harness.get(server.url()).body == "hello");
  REQUIRE(server.wait_finished(1));
  harness.run_for(50);
  CHECK(harness.get(server.url()).body == "hello");
  CHECK(server.accepted() == 2);
  CHECK(server.requests().size() == 2);  // nothing was sent into the dead connection
}

TEST_CASE("the handler may send the next request from inside on_response") {
  TestServer server(always(kHello));
  Harness harness;
  ResponseData second;
  Recorder second_recorder;
  harness.recorder.then = [&](ResponseData& first) {
    CHECK(first.body == "hello");
    CHECK_FALSE(harness.session().busy());
    harness.session().send(harness.request(server.url("/chained")), second, &second_recorder);
    CHECK(harness.session().busy());
  };
  harness.get(server.url());
  CHECK(second_recorder.calls == 1);
  CHECK(second.body == "hello");
  CHECK(server.accepted() == 1);
}

TEST_CASE("early failures are delivered from the loop, not from send()") {
  Harness harness;
  Request request;  // no URL: refused before any I/O
  ResponseData& response = harness.run(request);
  CHECK(response.error_code == ErrorCode::kInvalidUrl);
  CHECK(harness.run(request).error_code == ErrorCode::kInvalidUrl);
}

TEST_CASE("host names are resolved, then remembered") {
  TestServer server(always(kHello));
  Harness harness;
  std::string url = "http://localhost:" + port_text(server) + "/";
  ResponseData& response = harness.get(url);
  CHECK(response.error_code == ErrorCode::kNone);
  CHECK(response.body == "hello");
  CHECK(response.timings.blocked >= 0);
  CHECK(server.requests().at(0).find("\r\nHost: localhost:" + port_text(server) + "\r\n") !=
        std::string::npos);
  harness.session().close_all();
  ResponseData& again = harness.get(url);  // new connection, cached address
  CHECK(again.body == "hello");
  CHECK(server.accepted() == 2);
}

TEST_CASE("an unknown host fails the lookup") {
  Harness harness;
  ResponseData& response = harness.get("http://nonexistent.invalid/");
  CHECK(response.status == 0);
  bool dns_error = response.error_code == ErrorCode::kDnsNoAddress ||
                   response.error_code == ErrorCode::kDnsFailed;
  CHECK(dns_error);
  CHECK_THAT(response.error, Catch::StartsWith("lookup nonexistent.invalid: "));
}

TEST_CASE("no such host is 1101 and a lookup that fails is 1100, as in k6") {
  TestServer server(always(kHello));
  Harness harness("lueng-test/1.0", nullptr, scripted_lookup);
  ResponseData& missing = harness.get("http://nx.test/");
  CHECK(missing.status == 0);
  CHECK(missing.error_code == ErrorCode::kDnsNoAddress);
  CHECK(missing.error == "lookup nx.test: no such host");
  CHECK(harness.get("http://no-address.test/").error_code == ErrorCode::kDnsNoAddress);
  ResponseData& failed = harness.get("http://servfail.test/");
  CHECK(failed.error_code == ErrorCode::kDnsFailed);
  CHECK_THAT(failed.error, Catch::StartsWith("lookup servfail.test: "));
  ResponseData& found = harness.get("http://found.test:" + port_text(server) + "/");
  CHECK(found.error_code == ErrorCode::kNone);
  CHECK(found.body == "hello");
}

TEST_CASE("a lookup that never answers holds up neither the loop nor the end of the client") {
  Harness harness("lueng-test/1.0", nullptr, hanging_lookup);
  Request request = harness.request("http://hang.test/");
  request.timeout_seconds = 0.05;
  // The request times out while resolving, and the loop ends: nobody waits for
  // the lookup any more.
  ResponseData& response = harness.run(request);
  CHECK(response.error_code == ErrorCode::kRequestTimeout);
  CHECK(harness.client().dns().pending() == 1);
  // A request abandoned while it resolves (a hard stop) holds nothing either.
  harness.session().send(harness.request("http://hang.test/"), harness.response, &harness.recorder);
  harness.destroy_session();
  uv_run(harness.loop(), UV_RUN_DEFAULT);
  CHECK(harness.recorder.calls == 1);
  // The client goes while its lookup is still stuck; the answer that comes later
  // is dropped.
  harness.destroy_client();
  CHECK(hang.returned.load() == 0);
  hang.release();
}

TEST_CASE("destroying a Session with a request in flight calls no handler and leaks nothing") {
  TestServer server([](Peer& peer, int) {
    peer.read_request();
    peer.wait_for_close();
  });
  Harness harness;
  harness.session().send(harness.request(server.url()), harness.response, &harness.recorder);
  harness.run_for(50);
  CHECK(harness.session().busy());
  harness.destroy_session();
  harness.run_for(20);
  CHECK(harness.recorder.calls == 0);
  CHECK(server.wait_finished(1));  // the socket really closed
}

TEST_CASE("close_all abandons requests in every phase without calling the handler") {
  TestServer server([](Peer& peer, int) {
    peer.read_request();
    peer.wait_for_close();
  });
  Harness harness;
  SECTION("while resolving") {
    harness.session().send(harness.request("http://localhost:" + port_text(server) + "/"),
                           harness.response, &harness.recorder);
  }
  SECTION("while connecting") {
    harness.session().send(harness.request(server.url()), harness.response, &harness.recorder);
  }
  SECTION("with the early failure not yet delivered") {
    harness.session().send(Request{}, harness.response, &harness.recorder);
  }
  SECTION("while waiting for the answer") {
    harness.session().send(harness.request(server.url()), harness.response, &harness.recorder);
    harness.run_for(30);
  }
  harness.session().close_all();
  CHECK_FALSE(harness.session().busy());
  harness.run_for(30);
  CHECK(harness.recorder.calls == 0);
}

TEST_CASE("destroying the Client while a lookup runs is safe") {
  Harness harness;
  harness.session().send(harness.request("http://localhost:9/"), harness.response,
                         &harness.recorder);
  harness.destroy_session();
  harness.destroy_client();
  // The harness runs the loop until the cancelled lookup has freed itself.
}

TEST_CASE("connecting to a host that never accepts is a dial timeout") {
  // A listener with a full accept queue drops further SYNs, so connect hangs.
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  REQUIRE(bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) == 0);
  REQUIRE(listen(fd, 0) == 0);
  socklen_t length = sizeof(address);
  getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length);
  std::vector<int> fillers;
  for (int i = 0; i < 3; ++i) {
    int filler = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
    connect(filler, reinterpret_cast<sockaddr*>(&address), sizeof(address));
    fillers.push_back(filler);
  }
  std::this_thread::sleep_for(50ms);
  {
    Harness harness;
    std::string port = std::to_string(ntohs(address.sin_port));
    Request request = harness.request("http://127.0.0.1:" + port + "/");
    request.timeout_seconds = 0.2;
    ResponseData& response = harness.run(request);
    CHECK(response.error_code == ErrorCode::kDialTimeout);
    CHECK(response.error == "dial tcp 127.0.0.1:" + port + ": i/o timeout");
    CHECK(response.timings.connecting >= 150);
  }
  for (int filler : fillers) close(filler);
  close(fd);
}

TEST_CASE("an answer that comes before the whole upload was taken ends the connection") {
  // The first connection's peer never reads the body, so the upload stays stuck
  // behind the 413 (32 MiB fit in no socket buffer); connections are served at
  // once, so a next request on a new connection is answered, and one wrongly
  // sent on the stuck connection would time out.
  TestServer server(
      [](Peer& peer, int index) {
        if (index == 0) {
          peer.read_head();
          peer.send("HTTP/1.1 413 Payload Too Large\r\nContent-Length: 0\r\n\r\n");
          while (!peer.stopped_or_closed()) std::this_thread::sleep_for(5ms);
        } else {
          while (!peer.read_request().empty()) peer.send(kHello);
        }
      },
      false, TestServer::Serving::kConcurrently);
  Harness harness;
  std::string upload(32 * 1024 * 1024, 'u');
  Request request = harness.request(server.url("/upload"), "POST");
  request.body = upload;
  ResponseData& response = harness.run(request);
  CHECK(response.error_code == ErrorCode::kNone);
  CHECK(response.status == 413);
  CHECK(response.timings.duration ==
        response.timings.sending + response.timings.waiting + response.timings.receiving);
  // The rest of the upload is still queued on that connection: it cannot be reused.
  ResponseData& next = harness.get(server.url());
  INFO("error " << static_cast<int>(next.error_code) << ": " << next.error);
  CHECK(next.body == "hello");
  CHECK(server.accepted() == 2);
}

TEST_CASE("a timeout while the upload is stuck cancels the pending write") {
  TestServer server([](Peer& peer, int) {
    peer.read_head();
    while (!peer.stopped_or_closed()) std::this_thread::sleep_for(5ms);  // never reads
  });
  Harness harness;
  std::string upload(32 * 1024 * 1024, 'u');
  Request request = harness.request(server.url("/upload"), "PUT");
  request.body = upload;
  request.timeout_seconds = 0.2;
  ResponseData& response = harness.run(request);
  CHECK(response.error_code == ErrorCode::kRequestTimeout);
  CHECK(response.bytes_sent == 0);
}

TEST_CASE("the handler may destroy its Session or close its connections") {
  TestServer server(always(kHello));
  Harness harness;
  SECTION("close_all inside on_response") {
    harness.recorder.then = [&](ResponseData&) { harness.session().close_all(); };
    CHECK(harness.get(server.url()).body == "hello");
    harness.recorder.then = nullptr;
    CHECK(harness.get(server.url()).body == "hello");
    CHECK(server.accepted() == 2);
  }
  SECTION("destroying the Session after a network response") {
    harness.recorder.then = [&](ResponseData&) { harness.destroy_session(); };
    CHECK(harness.get(server.url()).body == "hello");
  }
  SECTION("destroying the Session after an early failure") {
    harness.recorder.then = [&](ResponseData&) { harness.destroy_session(); };
    CHECK(harness.run(Request{}).error_code == ErrorCode::kInvalidUrl);
  }
}

TEST_CASE("IPv6 literals connect, and name themselves in Host and errors") {
  TestServer server(always(kHello), true);
  Harness harness;
  ResponseData& response = harness.get(server.url("/v6"));
  CHECK(response.error_code == ErrorCode::kNone);
  CHECK(response.body == "hello");
  CHECK(server.requests().at(0) == "GET /v6 HTTP/1.1\r\nHost: [::1]:" + port_text(server) +
                                       "\r\nUser-Agent: lueng-test/1.0\r\n\r\n");
}

TEST_CASE("a refused IPv6 connection names the address in brackets") {
  uint16_t port;
  {
    TestServer server([](Peer&, int) {}, true);
    port = server.port();
  }
  Harness harness;
  ResponseData& response = harness.get("http://[::1]:" + std::to_string(port) + "/");
  CHECK(response.error_code == ErrorCode::kConnectionRefused);
  CHECK(response.error ==
        "dial tcp [::1]:" + std::to_string(port) + ": connect: connection refused");
}

namespace {

// `text` compressed by zlib: windowBits 31 is gzip, 15 zlib ("deflate"), -15 raw.
std::string compress(const std::string& text, int window_bits) {
  z_stream stream{};
  REQUIRE(deflateInit2(&stream, 6, Z_DEFLATED, window_bits, 8, Z_DEFAULT_STRATEGY) == Z_OK);
  std::string out(deflateBound(&stream, text.size()), '\0');
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(text.data()));
  stream.avail_in = static_cast<uInt>(text.size());
  stream.next_out = reinterpret_cast<Bytef*>(out.data());
  stream.avail_out = static_cast<uInt>(out.size());
  REQUIRE(deflate(&stream, Z_FINISH) == Z_STREAM_END);
  out.resize(stream.total_out);
  deflateEnd(&stream);
  return out;
}

std::string encoded_response(const std::string& encoding, const std::string& body) {
  return "HTTP/1.1 200 OK\r\nContent-Encoding: " + encoding +
         "\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
}

std::string big_text() {
  std::string text;
  for (int i = 0; i < 20000; ++i) text += "line " + std::to_string(i) + " of a compressible body\n";
  return text;  // about 600 KB: many inflate rounds and a growing body
}

}  // namespace

TEST_CASE("gzip and deflate bodies are decoded, byte counts stay on the wire") {
  const std::string text = big_text();
  struct Case {
    const char* encoding;
    int window_bits;
  };
  for (Case c : {Case{"gzip", 31}, Case{"x-gzip", 31}, Case{"deflate", 15}, Case{"deflate", -15},
                 Case{"GZIP", 31}}) {
    DYNAMIC_SECTION(c.encoding << " " << c.window_bits) {
      std::string wire = encoded_response(c.encoding, compress(text, c.window_bits));
      TestServer server(always(wire));
      Harness harness;
      ResponseData& response = harness.get(server.url());
      CHECK(response.error_code == ErrorCode::kNone);
      CHECK(response.body.size() == text.size());
      CHECK(response.body == text);
      CHECK(response.bytes_received == wire.size());
      // The decoder is reset, not rebuilt, for the next body on the connection.
      CHECK(harness.get(server.url()).body == text);
      CHECK(server.accepted() == 1);
    }
  }
}

TEST_CASE("a compressed body split into single bytes and chunks decodes the same") {
  const std::string text = "small body, sent one byte at a time";
  std::string compressed = compress(text, 31);
  std::string wire =
      "HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nTransfer-Encoding: chunked\r\n\r\n";
  for (size_t i = 0; i < compressed.size(); i += 5) {
    std::string piece = compressed.substr(i, 5);
    wire += fmt_hex(piece.size()) + "\r\n" + piece + "\r\n";
  }
  wire += "0\r\n\r\n";
  TestServer server([wire](Peer& peer, int) {
    peer.read_request();
    peer.send_slowly(wire, std::chrono::microseconds(50));
  });
  Harness harness;
  ResponseData& response = harness.get(server.url());
  CHECK(response.error_code == ErrorCode::kNone);
  CHECK(response.body == text);
}

TEST_CASE("a body that does not decode is an error of its own, the connection stays usable") {
  std::string truncated = compress(big_text(), 31);
  truncated.resize(truncated.size() / 2);
  const std::string bodies[] = {"this is not gzip", truncated};
  for (const std::string& body : bodies) {
    TestServer server([&](Peer& peer, int) {
      peer.read_request();
      peer.send(encoded_response("gzip", body));
      peer.read_request();
      peer.send(kHello);
    });
    Harness harness;
    ResponseData& response = harness.get(server.url());
    CHECK(response.status == 0);  // as in k6: a body that cannot be read fails the request
    CHECK(response.header_count() == 0);
    CHECK(response.error_code == ErrorCode::kResponseDecompressionFailed);
    CHECK_THAT(response.error, Catch::StartsWith("failed to decompress the response body"));
    CHECK(harness.get(server.url()).body == "hello");
    CHECK(server.accepted() == 1);
  }
  CHECK(std::string(error_code_name(ErrorCode::kResponseDecompressionFailed)) ==
        "response_decompression_failed");
}

TEST_CASE("unknown codings pass through, discarded compressed bodies are not decoded") {
  TestServer server([](Peer& peer, int) {
    peer.read_request();
    peer.send(encoded_response("br", "raw-bytes"));
    peer.read_request();
    peer.send(encoded_response("gzip", "would not decode"));
  });
  Harness harness;
  CHECK(harness.get(server.url()).body == "raw-bytes");
  Request request = harness.request(server.url());
  request.discard_body = true;
  ResponseData& response = harness.run(request);
  CHECK(response.error_code == ErrorCode::kNone);
  CHECK(response.body.empty());
  CHECK(response.bytes_received > 0);
}

TEST_CASE("a request that says Connection: close is not followed by reuse") {
  TestServer server(always(kHello));  // answers keep-alive regardless
  Harness harness;
  Request request = harness.request(server.url());
  std::vector<Header> headers{{"Connection", "close"}};
  request.headers = headers;
  CHECK(harness.run(request).body == "hello");
  CHECK(harness.get(server.url()).body == "hello");
  CHECK(server.accepted() == 2);
}
