// The dialer against real servers on loopback: TCP and TLS connects, the protocol
// ALPN settles, and the hand-over of the connected stream to the connection that
// speaks it.

#include <catch2/catch.hpp>

#include <memory>
#include <string>

#include "engine/http/dialer.hpp"
#include "engine/http/protocols.hpp"
#include "engine/http/tls_context.hpp"
#include "engine/http/tls_material.hpp"
#include "test_certificates.hpp"
#include "test_harness.hpp"
#include "test_server.hpp"
#include "tls_test_server.hpp"

using namespace lueng::http;
using namespace lueng::http::testing;

namespace {

// Each records its events and stops the loop, so a test runs it up to the next one.
struct Dialed final : DialListener {
  uv_loop_t* loop;
  int calls = 0;
  int status = 1;
  explicit Dialed(uv_loop_t* to_stop) : loop(to_stop) {}
  void on_dialed(int result) override {
    ++calls;
    status = result;
    uv_stop(loop);
  }
};

struct Answered final : ConnectionListener {
  uv_loop_t* loop;
  int complete = 0, failed = 0;
  bool keep_alive = false;
  explicit Answered(uv_loop_t* to_stop) : loop(to_stop) {}
  void on_response_complete(Connection&, bool kept) override {
    ++complete;
    keep_alive = kept;
    uv_stop(loop);
  }
  void on_exchange_failed(Connection&, bool) override {
    ++failed;
    uv_stop(loop);
  }
};

struct IdleCount final : IdleListener {
  int closed = 0;
  void on_idle_closed(Connection&) override { ++closed; }
};

sockaddr_in loopback(uint16_t port) {
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  return address;
}

std::shared_ptr<const TlsMaterial> trusting(const Certificates& certificates) {
  TlsOptions options;
  options.ca_file = certificates.ca().cert_path;
  return std::make_shared<const TlsMaterial>(options);
}

}  // namespace

TEST_CASE("ALPN: only http/1.1 is offered, and the dialer says what the server chose") {
  Certificates certificates;
  certificates.make_all();
  bool server_speaks_alpn = GENERATE(true, false);
  CAPTURE(server_speaks_alpn);
  TlsServerConfig config{&certificates.server()};
  config.alpn = server_speaks_alpn;
  TlsTestServer server(config);
  Harness harness("lueng-test/1.0", trusting(certificates));
  std::string error;
  SSL_CTX* context = harness.client().tls().for_host("localhost", &error);
  REQUIRE(context);
  std::string host = "localhost";
  TlsSessionSlot slot;
  TlsTarget target{context, &host, &slot};
  sockaddr_in address = loopback(server.port());

  Dialer dialer;
  Dialed dialed(harness.loop());
  REQUIRE(dialer.start(harness.client(), reinterpret_cast<sockaddr*>(&address), &target, dialed) ==
          0);
  uv_run(harness.loop(), UV_RUN_DEFAULT);
  REQUIRE(dialed.calls == 1);
  REQUIRE(dialed.status == 0);
  REQUIRE(dialer.tls());
  CHECK(dialer.tls()->handshake_end_ns > 0);
  if (server_speaks_alpn) {
    CHECK(server.offered_alpn() == std::string("\x08http/1.1"));
    CHECK(dialer.protocol() == "http/1.1");
  } else {
    CHECK(dialer.protocol() == "");  // no ALPN from the server: HTTP/1.1 all the same
  }

  // The connected stream goes to the connection of that protocol, which speaks on it.
  IdleCount idle;
  std::unique_ptr<Connection> connection =
      make_connection(dialer.protocol(), dialer.take_stream(), dialer.remote(), idle);
  REQUIRE(connection);
  CHECK(dialer.tls() == nullptr);  // the stream has left the dialer, the protocol has not
  CHECK(dialer.protocol() == (server_speaks_alpn ? "http/1.1" : ""));
  Request request = harness.request(server.url());
  ResponseData out;
  Answered answered(harness.loop());
  REQUIRE(connection->can_send());
  connection->send(request, "lueng-test/1.0", out, answered);
  CHECK_FALSE(connection->can_send());
  uv_run(harness.loop(), UV_RUN_DEFAULT);
  CHECK(answered.complete == 1);
  CHECK(out.status == 200);
  CHECK(out.body == "hello");
  CHECK(answered.keep_alive);
  CHECK(connection->can_send());
  CHECK(std::string(out.tls_version) == "tls1.3");
  connection.reset();
  CHECK(server.requests() == 1);
}

TEST_CASE("ALPN: a session's https requests work with a server that speaks it") {
  Certificates certificates;
  certificates.make_all();
  TlsServerConfig config{&certificates.server()};
  config.alpn = true;
  TlsTestServer server(config);
  Harness harness("lueng-test/1.0", trusting(certificates));
  CHECK(harness.get(server.url()).status == 200);
  CHECK(harness.get(server.url()).status == 200);
  CHECK(server.offered_alpn() == std::string("\x08http/1.1"));
  CHECK(server.accepted() == 1);
}

TEST_CASE("a protocol that was not offered gets no connection") {
  IdleCount idle;
  sockaddr_in address = loopback(80);
  CHECK(make_connection("h2", nullptr, reinterpret_cast<sockaddr*>(&address), idle) == nullptr);
  CHECK(alpn_offer() == std::string_view("\x08http/1.1"));
}

TEST_CASE("a plain TCP dial has no TLS and no protocol, a refused one reports the error") {
  TestServer server([](Peer& peer, int) {
    peer.read_request();
    peer.send("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
    peer.wait_for_close();
  });
  Harness harness;
  Dialer dialer;
  Dialed dialed(harness.loop());
  sockaddr_in address = loopback(server.port());
  REQUIRE(dialer.start(harness.client(), reinterpret_cast<sockaddr*>(&address), nullptr, dialed) ==
          0);
  uv_run(harness.loop(), UV_RUN_DEFAULT);
  REQUIRE(dialed.status == 0);
  CHECK(dialer.tls() == nullptr);
  CHECK(dialer.protocol() == "");
  CHECK(dialer.start_ns() > 0);

  sockaddr_in nowhere = loopback(unused_port());
  REQUIRE(dialer.start(harness.client(), reinterpret_cast<sockaddr*>(&nowhere), nullptr, dialed) ==
          0);  // closes the first stream
  uv_run(harness.loop(), UV_RUN_DEFAULT);
  CHECK(dialed.calls == 2);
  CHECK(dialed.status == UV_ECONNREFUSED);
  CHECK(reinterpret_cast<const sockaddr_in*>(dialer.remote())->sin_port == nowhere.sin_port);
  dialer.reset();
  CHECK(server.wait_finished(1));  // the first connection was closed
}
