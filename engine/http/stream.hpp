#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include <uv.h>

#include "engine/http/error_code.hpp"

namespace lueng::http {

// Events of a Stream, delivered on the loop thread. None arrive after
// Stream::close(), so a handler may be destroyed right after closing its stream.
class StreamHandler {
 public:
  virtual void on_connect(int status) = 0;  // 0 or a libuv error
  // Bytes are only valid during the call: every stream of a loop reads into one
  // shared buffer.
  virtual void on_read(const char* data, size_t length) = 0;
  virtual void on_read_end(int status) = 0;  // UV_EOF or a libuv error; no more reads follow
  virtual void on_write(int status) = 0;     // only for writes that returned kWritePending

 protected:
  ~StreamHandler() = default;
};

// What a TLS stream knows of its connection.
struct TlsInfo {
  const char* version = "";       // k6's tls_version tag value ("tls1.3") once connected
  const char* cipher_suite = "";  // the standard (IANA) name, e.g. "TLS_AES_128_GCM_SHA256"
  // The protocol ALPN agreed on ("http/1.1"), empty when the server chose none;
  // points into the TLS connection, so valid while the stream lives.
  std::string_view alpn;
  bool session_reused = false;         // the handshake resumed an earlier session
  uint64_t handshake_start_ns = 0;     // uv_hrtime() when TCP was up and the handshake began
  uint64_t handshake_end_ns = 0;       // when it finished or failed; 0 while it runs
  ErrorCode error = ErrorCode::kNone;  // why it failed (on_connect reported kTlsFailed)
  std::string error_message;
};

// A byte transport under an HTTP connection: plain TCP, or TLS (OpenSSL memory
// BIOs over a TCP stream). Streams are created by a factory and
// released only through close(), because the libuv handles inside must outlive
// their pending callbacks: the memory goes when the transport has really closed.
class Stream {
 public:
  static constexpr int kWriteComplete = 1;
  static constexpr int kWritePending = 0;
  // on_connect status of a TLS stream whose handshake failed (no libuv error is
  // this far below zero); tls() says why.
  static constexpr int kTlsFailed = -100000;

  // Starts connecting; the outcome arrives as on_connect. Returns 0 or a libuv error
  // (then no on_connect follows). Reading starts by itself once connected.
  virtual int connect(const sockaddr* address) = 0;

  // Before connect(): the source address to connect from (port 0: any). 0 or a
  // libuv error.
  virtual int bind(const sockaddr* address) {
    (void)address;
    return UV_ENOTSUP;
  }

  // Sends all of `data`: kWriteComplete when it went out at once, kWritePending when
  // the rest is queued (`data` must then stay valid until on_write), or a libuv error.
  virtual int write(std::string_view data) = 0;

  // From now on events go to `handler`: the dialer hands a connected stream to the
  // connection of the protocol the handshake agreed on. May be called from inside
  // on_connect; later bytes of the same read then reach the new handler.
  virtual void set_handler(StreamHandler& handler) = 0;

  // An idle keep-alive connection must not keep the loop running.
  virtual void set_referenced(bool referenced) = 0;

  // For error messages; 0 or a libuv error.
  virtual int local_address(sockaddr_storage* address) const = 0;

  // TLS details; null for a plain stream.
  virtual const TlsInfo* tls() const { return nullptr; }

  // Detaches the handler and frees the stream once the transport has closed.
  virtual void close() = 0;

 protected:
  ~Stream() = default;
};

struct StreamCloser {
  void operator()(Stream* stream) const { stream->close(); }
};
using StreamPtr = std::unique_ptr<Stream, StreamCloser>;

}  // namespace lueng::http
