#pragma once

#include <cstdint>
#include <string_view>

#include "engine/http/client.hpp"
#include "engine/http/ip_address.hpp"
#include "engine/http/stream.hpp"
#include "engine/http/tls_stream.hpp"

namespace lueng::http {

// Told once per Dialer::start() how the connect ended, as the last thing the
// dialer does in that callback: the listener may restart or reset the dialer.
class DialListener {
 public:
  // 0: connected (take_stream()); Stream::kTlsFailed: the handshake failed
  // (tls() says why); otherwise the libuv error of the TCP connect.
  virtual void on_dialed(int status) = 0;

 protected:
  ~DialListener() = default;
};

// Opens the transport of a new connection: TCP to one address, then for https the
// TLS handshake, which also settles the protocol (ALPN). Which Connection to put
// on the stream is only known then, so the stream is handed over connected.
// Reused for every connect of its owner; holds at most one stream.
class Dialer final : private StreamHandler {
 public:
  Dialer() = default;
  Dialer(const Dialer&) = delete;
  Dialer& operator=(const Dialer&) = delete;

  // Closes any stream still held, then connects to `remote` (over TLS when `tls`
  // is given; its context and slot must outlive the stream), from `local` when
  // given (k6's localIPs). 0 and on_dialed later, or a libuv error now (then no
  // on_dialed follows).
  int start(Client& client, const sockaddr* remote, const TlsTarget* tls, DialListener& listener,
            const sockaddr* local = nullptr);
  // Closes the stream held (connecting, failed, or connected and not taken).
  void reset();
  // After on_dialed(0): the connected stream, for a Connection to take over.
  StreamPtr take_stream() { return std::move(stream_); }

  // Of the last start(): the address, when it began, and TLS details (null for
  // plain http, or once the stream was taken or reset).
  const sockaddr* remote() const { return remote_.get(); }
  uint64_t start_ns() const { return start_ns_; }
  const TlsInfo* tls() const { return stream_ ? stream_->tls() : nullptr; }
  // The protocol the TLS handshake agreed on ("http/1.1"); empty for plain http
  // or a server that chose none. Set at on_dialed(0); valid while the stream
  // lives, in the dialer or in the connection that took it.
  std::string_view protocol() const { return protocol_; }

 private:
  void on_connect(int status) override;
  // Nothing reads before the stream is handed over.
  void on_read(const char*, size_t) override {}
  void on_read_end(int) override {}
  void on_write(int) override {}

  StreamPtr stream_;
  DialListener* listener_ = nullptr;
  std::string_view protocol_;
  IpAddress remote_;
  uint64_t start_ns_ = 0;
};

}  // namespace lueng::http
