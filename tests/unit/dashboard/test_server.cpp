#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <catch2/catch.hpp>

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "engine/dashboard/server.hpp"

using namespace lueng::dashboard;

namespace {

// A blocking-connect, non-blocking-read client; the server's loop is run here,
// between reads, as the engine's main loop runs it.
class Client {
 public:
  explicit Client(int port) {
    fd_ = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(static_cast<uint16_t>(port));
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    REQUIRE(connect(fd_, reinterpret_cast<sockaddr*>(&address), sizeof(address)) == 0);
    fcntl(fd_, F_SETFL, O_NONBLOCK);
  }
  ~Client() { close(fd_); }
  void send(const std::string& bytes) {
    REQUIRE(::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL) ==
            static_cast<ssize_t>(bytes.size()));
  }
  // Runs the server until `done(received)` or the peer closes (or 10 s pass).
  std::string read_until(Server& server, const std::function<bool(const std::string&)>& done) {
    auto until = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (!closed_ && !done(received_) && std::chrono::steady_clock::now() < until) {
      uv_run(server.loop(), UV_RUN_NOWAIT);
      char buffer[65536];
      ssize_t n = recv(fd_, buffer, sizeof(buffer), 0);
      if (n > 0)
        received_.append(buffer, static_cast<size_t>(n));
      else if (n == 0)
        closed_ = true;
      else
        usleep(1000);
    }
    return received_;
  }
  std::string read_all(Server& server) {
    return read_until(server, [](const std::string&) { return false; });
  }
  bool closed() const { return closed_; }

 private:
  int fd_ = -1;
  std::string received_;
  bool closed_ = false;
};

std::unique_ptr<Server> listening() {
  std::string error;
  auto server = Server::listen("127.0.0.1", 0, &error);
  REQUIRE(server);
  REQUIRE(server->port() > 0);
  return server;
}

bool has(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

}  // namespace

TEST_CASE("the page carries the latest snapshot inline, script-safe") {
  auto server = listening();
  server->publish(R"({"final":false,"name":"</script><b>"})");
  Client client(server->port());
  client.send("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
  std::string reply = client.read_all(*server);
  REQUIRE(client.closed());
  CHECK(reply.rfind("HTTP/1.1 200 OK\r\n", 0) == 0);
  CHECK(has(reply, "Content-Type: text/html; charset=utf-8"));
  CHECK(has(reply, "Content-Security-Policy: default-src 'none'"));
  CHECK(has(reply, R"({"final":false,"name":"\u003c/script>\u003cb>"})"));
  CHECK_FALSE(has(reply, "</script><b>"));
}

TEST_CASE("the event stream sends the latest snapshot, each new one, then the final one") {
  auto server = listening();
  server->publish(R"({"n":1})");
  Client client(server->port());
  client.send("GET /events HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n");
  std::string got = client.read_until(*server, [](const std::string& s) {
    return has(s,
               "\n\n"
               "event");
  });
  CHECK(has(got, "Content-Type: text/event-stream"));
  CHECK(has(got, "event: snapshot\ndata: {\"n\":1}\n\n"));
  server->publish(R"({"n":2})");
  got = client.read_until(*server, [](const std::string& s) { return has(s, "{\"n\":2}"); });
  CHECK(has(got, "event: snapshot\ndata: {\"n\":2}\n\n"));
  server->finish(R"({"n":3})");
  server->publish(R"({"n":4})");  // ignored once final
  got = client.read_until(*server, [](const std::string& s) { return has(s, "{\"n\":3}"); });
  CHECK(has(got, "event: final\ndata: {\"n\":3}\n\n"));
  CHECK_FALSE(client.closed());

  Client late(server->port());
  late.send("GET /events HTTP/1.1\r\n\r\n");
  CHECK(has(late.read_until(*server, [](const std::string& s) { return has(s, "{\"n\":3}"); }),
            "event: final\ndata: {\"n\":3}\n\n"));
  server->serve_for(0, -1);
  CHECK(client.read_all(*server).find("{\"n\":4}") == std::string::npos);
  CHECK(client.closed());
}

TEST_CASE("bad requests are answered and closed") {
  auto server = listening();
  struct Case {
    std::string request, status;
  };
  for (const Case& c : std::vector<Case>{
           {"\x16\x03\x01garbage\r\n\r\n", "HTTP/1.1 400 Bad Request"},
           {"POST / HTTP/1.1\r\nContent-Length: 2\r\n\r\nhi", "HTTP/1.1 405 Method Not Allowed"},
           {"GET /secret HTTP/1.1\r\n\r\n", "HTTP/1.1 404 Not Found"},
           {"GET / HTTP/1.1\r\nHost: rebound.example:5665\r\n\r\n", "HTTP/1.1 403 Forbidden"},
           {"GET / HTTP/1.1\r\nX: " + std::string(9000, 'a') + "\r\n\r\n",
            "HTTP/1.1 431 Request Header Fields Too Large"},
       }) {
    Client client(server->port());
    client.send(c.request);
    std::string reply = client.read_all(*server);
    CHECK(reply.rfind(c.status, 0) == 0);
    CHECK(client.closed());
  }
}

TEST_CASE("connections are bounded, and silent ones dropped") {
  auto server = listening();
  std::vector<std::unique_ptr<Client>> silent;
  for (size_t i = 0; i < Server::kMaxConnections; ++i)
    silent.push_back(std::make_unique<Client>(server->port()));
  for (int i = 0; i < 50; ++i) uv_run(server->loop(), UV_RUN_NOWAIT);
  Client extra(server->port());
  extra.send("GET / HTTP/1.1\r\n\r\n");
  CHECK(extra.read_all(*server).empty());  // closed without an answer
  CHECK(extra.closed());
  // Past the head timeout the silent ones are dropped, and a new client is served.
  auto start = std::chrono::steady_clock::now();
  silent.front()->read_all(*server);
  CHECK(silent.front()->closed());
  CHECK(std::chrono::steady_clock::now() - start >= std::chrono::seconds(3));
  Client next(server->port());
  next.send("GET / HTTP/1.1\r\n\r\n");
  CHECK(next.read_all(*server).rfind("HTTP/1.1 200 OK", 0) == 0);
}

TEST_CASE("a port in use cannot be listened on") {
  auto server = listening();
  std::string error;
  CHECK_FALSE(Server::listen("127.0.0.1", server->port(), &error));
  CHECK(error == "address already in use");
}
