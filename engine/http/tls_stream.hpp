#pragma once

#include <span>
#include <string>

#include <openssl/ssl.h>

#include "engine/http/stream.hpp"
#include "engine/http/tls_session_slot.hpp"

namespace lueng::http {

// Where a TLS stream connects to and how.
struct TlsTarget {
  SSL_CTX* context = nullptr;              // verification, versions, client certificate
  const std::string* host = nullptr;       // SNI and the name the certificate must carry
  TlsSessionSlot* session_slot = nullptr;  // offered for resumption, refreshed; may be null
};

// TLS over a plain TCP stream: OpenSSL works on two memory BIOs, ciphertext goes
// through the TCP stream, so the loop never blocks and one read buffer still serves
// every stream of the loop. on_connect arrives once the handshake is done (status
// 0; tls()->alpn says which protocol it agreed on, of those the context offers:
// alpn_offer()) or has failed (Stream::kTlsFailed, details in tls()). Only application data
// reaches on_read: TLS 1.3 session tickets on an idle connection are not "the
// server speaking out of turn". The host is read at creation only; the context
// and the slot must live until close() (which forgets the slot).
StreamPtr make_tls_stream(uv_loop_t* loop, std::span<char> read_buffer, StreamHandler& handler,
                          const TlsTarget& target);

// The SSL_CTX new-session callback every client context installs: hands the
// session to the slot of the stream that received it.
int remember_tls_session(SSL* ssl, SSL_SESSION* session);

}  // namespace lueng::http
