#pragma once

// A TLS server on 127.0.0.1 for the client tests, on OpenSSL's blocking API in a
// thread of its own: connections are served one after another, each answering
// every request with one canned response, and what the handshakes did (session
// resumed, client certificate presented, version) is recorded.

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>

#include <openssl/err.h>
#include <openssl/ssl.h>

#include "test_certificates.hpp"

namespace lueng::http::testing {

struct TlsServerConfig {
  const Identity* identity = nullptr;   // the server's certificate and key
  const Identity* client_ca = nullptr;  // set: a client certificate signed by it is required
  int max_version = 0;                  // e.g. TLS1_2_VERSION; 0: TLS 1.3
  bool close_after_response = false;    // one request per connection (Connection: close)
  bool alpn = false;                    // selects http/1.1 by ALPN when the client offers it
  std::string body = "hello";
};

class TlsTestServer {
 public:
  explicit TlsTestServer(TlsServerConfig config) : config_(std::move(config)) {
    ctx_ = SSL_CTX_new(TLS_server_method());
    SSL_CTX_use_certificate(ctx_, config_.identity->cert);
    SSL_CTX_use_PrivateKey(ctx_, config_.identity->key);
    if (config_.max_version) SSL_CTX_set_max_proto_version(ctx_, config_.max_version);
    if (config_.alpn) SSL_CTX_set_alpn_select_cb(ctx_, select_alpn, this);
    SSL_CTX_set_session_id_context(ctx_, reinterpret_cast<const unsigned char*>("lueng"), 5);
    if (config_.client_ca) {
      X509_STORE_add_cert(SSL_CTX_get_cert_store(ctx_), config_.client_ca->cert);
      SSL_CTX_set_verify(ctx_, SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT, nullptr);
    }
    response_ = "HTTP/1.1 200 OK\r\nContent-Length: " + std::to_string(config_.body.size()) +
                (config_.close_after_response ? "\r\nConnection: close" : "") + "\r\n\r\n" +
                config_.body;

    listen_fd_ = socket(AF_INET, SOCK_STREAM, 0);
    int yes = 1;
    setsockopt(listen_fd_, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof(yes));
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof(address);
    if (bind(listen_fd_, reinterpret_cast<sockaddr*>(&address), length) != 0 ||
        listen(listen_fd_, 16) != 0)
      throw std::runtime_error("TLS test server cannot listen");
    getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&address), &length);
    port_ = ntohs(address.sin_port);
    thread_ = std::thread([this] { run(); });
  }

  ~TlsTestServer() {
    stopping_ = true;
    thread_.join();
    ::close(listen_fd_);
    SSL_CTX_free(ctx_);
  }

  uint16_t port() const { return port_; }
  std::string url(const std::string& host = "localhost", const std::string& path = "/") const {
    return "https://" + host + ":" + std::to_string(port_) + path;
  }
  int accepted() const { return accepted_; }
  int handshakes() const { return handshakes_; }  // completed ones
  int resumed() const { return resumed_; }        // of which abbreviated
  int client_certificates() const { return client_certificates_; }
  int requests() const { return requests_; }
  // The protocols the last client offered by ALPN, in the wire format (each name
  // prefixed by its length); only recorded when the server speaks ALPN.
  std::string offered_alpn() const {
    std::lock_guard lock(mutex_);
    return offered_alpn_;
  }

 private:
  static int select_alpn(SSL*, const unsigned char** out, unsigned char* out_length,
                         const unsigned char* offered, unsigned int offered_length, void* self) {
    auto& server = *static_cast<TlsTestServer*>(self);
    {
      std::lock_guard lock(server.mutex_);
      server.offered_alpn_.assign(reinterpret_cast<const char*>(offered), offered_length);
    }
    static const unsigned char kSpoken[] = "\x08http/1.1";
    unsigned char* chosen = nullptr;
    if (SSL_select_next_proto(&chosen, out_length, kSpoken, sizeof(kSpoken) - 1, offered,
                              offered_length) != OPENSSL_NPN_NEGOTIATED)
      return SSL_TLSEXT_ERR_NOACK;
    *out = chosen;
    return SSL_TLSEXT_ERR_OK;
  }

  void run() {
    while (!stopping_) {
      pollfd entry{listen_fd_, POLLIN, 0};
      if (poll(&entry, 1, 20) <= 0) continue;
      int fd = accept(listen_fd_, nullptr, nullptr);
      if (fd < 0) continue;
      ++accepted_;
      timeval timeout{0, 50 * 1000};  // blocking reads wake up to notice a stop
      setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof(timeout));
      int yes = 1;
      setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &yes, sizeof(yes));
      serve(fd);
      ::close(fd);
    }
  }

  // Retries reads that timed out until the peer answers, closes, or we stop.
  bool retry(SSL* ssl, int result) {
    int error = SSL_get_error(ssl, result);
    ERR_clear_error();
    return !stopping_ && (error == SSL_ERROR_WANT_READ ||
                          (error == SSL_ERROR_SYSCALL && (errno == EAGAIN || errno == EINTR)));
  }

  // After a refused handshake: closing with the client's request unread would send
  // a RST that may overtake our alert, so let the client close first.
  void linger_until_closed(int fd) {
    shutdown(fd, SHUT_WR);
    char buffer[4096];
    for (int i = 0; i < 40 && !stopping_; ++i) {
      ssize_t n = recv(fd, buffer, sizeof(buffer), 0);
      if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR)) return;
    }
  }

  void serve(int fd) {
    SSL* ssl = SSL_new(ctx_);
    SSL_set_fd(ssl, fd);
    int result;
    while ((result = SSL_accept(ssl)) != 1) {
      if (!retry(ssl, result)) {
        SSL_free(ssl);
        linger_until_closed(fd);
        return;
      }
    }
    ++handshakes_;
    if (SSL_session_reused(ssl)) ++resumed_;
    if (X509* peer = SSL_get1_peer_certificate(ssl)) {
      ++client_certificates_;
      X509_free(peer);
    }
    std::string pending;
    char buffer[4096];
    while (!stopping_) {
      size_t end = pending.find("\r\n\r\n");
      if (end != std::string::npos) {
        pending.erase(0, end + 4);
        ++requests_;
        SSL_write(ssl, response_.data(), static_cast<int>(response_.size()));
        if (config_.close_after_response) break;
        continue;
      }
      int n = SSL_read(ssl, buffer, sizeof(buffer));
      if (n > 0) {
        pending.append(buffer, static_cast<size_t>(n));
      } else if (!retry(ssl, n)) {
        break;
      }
    }
    SSL_shutdown(ssl);
    SSL_free(ssl);
  }

  TlsServerConfig config_;
  SSL_CTX* ctx_ = nullptr;
  std::string response_;
  int listen_fd_ = -1;
  uint16_t port_ = 0;
  std::atomic<bool> stopping_{false};
  mutable std::mutex mutex_;
  std::string offered_alpn_;
  std::atomic<int> accepted_{0}, handshakes_{0}, resumed_{0}, client_certificates_{0}, requests_{0};
  std::thread thread_;
};

}  // namespace lueng::http::testing
