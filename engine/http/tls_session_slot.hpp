#pragma once

#include <openssl/ssl.h>

namespace lueng::http {

// The TLS session a VU last got from one host (a TLS 1.2 session or a TLS 1.3
// ticket), offered again when the VU reconnects there so that the handshake is
// an abbreviated one.
class TlsSessionSlot {
 public:
  TlsSessionSlot() = default;
  ~TlsSessionSlot() { SSL_SESSION_free(session_); }
  TlsSessionSlot(const TlsSessionSlot&) = delete;
  TlsSessionSlot& operator=(const TlsSessionSlot&) = delete;

  SSL_SESSION* get() const { return session_; }
  // Takes over the caller's reference; replaces (frees) the previous session.
  void keep(SSL_SESSION* session) {
    if (session == session_) {  // the same session again: drop the extra reference
      SSL_SESSION_free(session);
      return;
    }
    SSL_SESSION_free(session_);
    session_ = session;
  }

 private:
  SSL_SESSION* session_ = nullptr;
};

}  // namespace lueng::http
