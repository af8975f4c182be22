#pragma once

#include <uv.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace lueng::dashboard {

struct Connection;

// The live dashboard's HTTP server (docs/user-guide.md, "Live dashboard"): the
// page at `/`, and at `/events` a stream of server-sent events, one `snapshot`
// a second and a `final` one with the end-of-run numbers.
//
// It runs on a libuv loop of its own, which the caller drives: the engine's main
// loop runs it whenever its backend descriptor has work (loop(), embedded in
// exec::Supervisor during the load, so no thread of its own), and serve_for()
// runs it alone after the run. Everything here happens on that one thread.
//
// Outside input is bounded: at most kMaxConnections at once (more are closed at
// once), a request head of at most 8 KiB that must arrive within
// kHeadTimeoutSeconds, one request per connection whose answer must be taken
// within kAnswerTimeoutSeconds, and a stream whose client reads slower than
// events come is dropped once kMaxQueuedBytes wait for it.
class Server {
 public:
  static constexpr size_t kMaxConnections = 32;
  static constexpr double kHeadTimeoutSeconds = 5;
  static constexpr double kAnswerTimeoutSeconds = 30;
  static constexpr size_t kMaxQueuedBytes = 4 * 1024 * 1024;

  // Listens on host:port (an IPv4 or IPv6 literal; port 0 picks a free one).
  // Returns nullptr with *error set ("address already in use") when it cannot.
  static std::unique_ptr<Server> listen(const std::string& host, int port, std::string* error);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  int port() const { return port_; }
  // The loop to run: poll uv_backend_fd(loop()) and run it with UV_RUN_NOWAIT
  // when readable, and at least once a second (its timers).
  uv_loop_t* loop() { return &loop_; }

  // A `snapshot` event (`json`: one line of JSON) for every stream; kept as the
  // latest numbers, which the page carries inline and a new stream gets first.
  void publish(const std::string& json);
  // The `final` event: the end-of-run numbers. Streams opened later get it
  // first, and publish() is ignored from now on.
  void finish(const std::string& json);
  // Runs the loop alone for `seconds` (the page keeps being served), stopping
  // early when `stop_fd` (>= 0) becomes readable (a signal), then until every
  // stream has been sent what is queued for it (at most 2 s), and closes
  // everything.
  void serve_for(double seconds, int stop_fd);

 private:
  Server() = default;
  static void on_connection(uv_stream_t* listener, int status);
  static void on_sweep(uv_timer_t* timer);
  static void on_alloc(uv_handle_t* handle, size_t size, uv_buf_t* buf);
  static void on_read(uv_stream_t* stream, ssize_t nread, const uv_buf_t* buf);
  static void on_written(uv_write_t* request, int status);
  void answer(Connection& connection);
  void send(Connection& connection, std::shared_ptr<const std::string> bytes);
  void broadcast(const std::string& event, const std::string& json);
  void drop(Connection& connection);
  void close_all();

  uv_loop_t loop_;
  uv_tcp_t listener_;
  uv_timer_t sweep_;
  int port_ = 0;
  bool closed_ = false;
  bool final_ = false;
  std::string latest_;  // the latest snapshot's JSON, "" before the first
  std::vector<Connection*> connections_;
  friend struct Connection;
};

// The dashboard's default address, as k6's web dashboard's.
inline constexpr const char* kDefaultHost = "127.0.0.1";
inline constexpr int kDefaultPort = 5665;

// Reads "HOST:PORT", ":PORT", "HOST" or "[IPv6]:PORT" (defaults for what is
// missing). Returns "" or what is wrong.
std::string parse_address(const std::string& text, std::string* host, int* port);
// Whether a Host header names an IP address or localhost (with or without a
// port), or is empty: what the server answers, so a DNS name rebound to it
// cannot read it.
bool is_address_host(const std::string& header);
// Whether `host` is a loopback address (127.0.0.0/8, ::1).
bool is_loopback(const std::string& host);

}  // namespace lueng::dashboard
