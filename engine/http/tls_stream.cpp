#include "engine/http/tls_stream.hpp"

#include <openssl/err.h>
#include <openssl/x509v3.h>

#include "engine/http/tcp_stream.hpp"
#include "engine/http/tls_material.hpp"

namespace lueng::http {

namespace {

bool is_ip_literal(const std::string& host) {
  unsigned char address[16];
  return uv_inet_pton(AF_INET, host.c_str(), address) == 0 ||
         uv_inet_pton(AF_INET6, host.c_str(), address) == 0;
}

const char* reason_text(unsigned long code, const char* otherwise) {
  const char* reason = code ? ERR_reason_error_string(code) : nullptr;
  return reason ? reason : otherwise;
}

class TlsStream final : public Stream, private StreamHandler {
 public:
  TlsStream(uv_loop_t* loop, std::span<char> read_buffer, StreamHandler& handler,
            const TlsTarget& target)
      : handler_(&handler),
        buffer_(read_buffer),
        slot_(target.session_slot),
        tcp_(make_tcp_stream(loop, read_buffer, *this)) {
    ssl_ = SSL_new(target.context);
    if (!ssl_) return;
    BIO* in = BIO_new(BIO_s_mem());
    BIO* out = BIO_new(BIO_s_mem());
    if (!in || !out) {
      BIO_free(in);
      BIO_free(out);
      SSL_free(ssl_);
      ssl_ = nullptr;
      return;
    }
    SSL_set_bio(ssl_, in, out);  // the SSL owns both from here on
    in_ = in;
    out_ = out;
    SSL_set_app_data(ssl_, this);
    SSL_set_connect_state(ssl_);
    const std::string& host = *target.host;
    // RFC 6066: SNI carries host names only, never address literals.
    if (!is_ip_literal(host)) SSL_set_tlsext_host_name(ssl_, host.c_str());
    if (SSL_get_verify_mode(ssl_) != SSL_VERIFY_NONE) {
      SSL_set_hostflags(ssl_, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
      SSL_set1_host(ssl_, host.c_str());  // an address literal is matched as an IP SAN
    }
    if (slot_ && slot_->get()) SSL_set_session(ssl_, slot_->get());
    ERR_clear_error();
  }

  int connect(const sockaddr* address) override {
    if (!ssl_) return UV_ENOMEM;
    return tcp_->connect(address);
  }

  int bind(const sockaddr* address) override { return tcp_->bind(address); }

  int write(std::string_view data) override {
    if (!connected_) return UV_ENOTCONN;
    if (data.empty()) return kWriteComplete;
    // A memory BIO never pushes back: the whole request is encrypted at once, so
    // `data` need not outlive this call even when the TCP write is queued.
    if (SSL_write(ssl_, data.data(), static_cast<int>(data.size())) <= 0) {
      ERR_clear_error();
      return UV_EPROTO;
    }
    if (int status = flush(); status < 0) return status;
    if (!tcp_write_pending_) return kWriteComplete;
    app_write_pending_ = true;
    return kWritePending;
  }

  void set_handler(StreamHandler& handler) override { handler_ = &handler; }

  void set_referenced(bool referenced) override { tcp_->set_referenced(referenced); }

  int local_address(sockaddr_storage* address) const override {
    return tcp_->local_address(address);
  }

  const TlsInfo* tls() const override { return &info_; }

  void close() override {
    handler_ = nullptr;
    slot_ = nullptr;
    closed_ = true;
    tcp_.reset();  // the TCP stream calls nothing of ours any more and frees itself later
    // Closing from inside one of our own callbacks (a handler dropping its
    // connection) must not free the object that is still on the stack.
    if (depth_ == 0) delete this;
  }

  static int on_new_session(SSL* ssl, SSL_SESSION* session) {
    auto* self = static_cast<TlsStream*>(SSL_get_app_data(ssl));
    if (!self || !self->slot_) return 0;
    self->slot_->keep(session);
    return 1;  // the slot holds the reference now
  }

 private:
  // Defers `delete this` until the outermost callback of ours returns.
  class Guard {
   public:
    explicit Guard(TlsStream& stream) : stream_(stream) { ++stream_.depth_; }
    ~Guard() {
      if (--stream_.depth_ == 0 && stream_.closed_) delete &stream_;
    }

   private:
    TlsStream& stream_;
  };

  ~TlsStream() {
    if (!ssl_) return;
    // SSL_free marks the session of a connection that was not shut down as not
    // resumable. Dropping a healthy keep-alive connection is no reason to forget
    // its session; the server learns of the close from TCP.
    if (connected_ && info_.error == ErrorCode::kNone) SSL_set_shutdown(ssl_, SSL_SENT_SHUTDOWN);
    SSL_free(ssl_);
  }

  // --- events of the TCP stream below

  void on_connect(int status) override {
    Guard guard(*this);
    if (!handler_) return;
    if (status < 0) {
      handler_->on_connect(status);
      return;
    }
    info_.handshake_start_ns = uv_hrtime();
    handshaking_ = true;
    step_handshake();
  }

  void on_read(const char* data, size_t length) override {
    Guard guard(*this);
    if (!handler_ || ended_ || (!handshaking_ && !connected_)) return;
    // Copied into OpenSSL: the loop's read buffer is free again and receives the
    // plaintext below.
    BIO_write(in_, data, static_cast<int>(length));
    if (handshaking_) step_handshake();
    if (connected_) drain();
  }

  void on_read_end(int status) override {
    Guard guard(*this);
    if (!handler_ || ended_) return;
    ended_ = true;
    if (handshaking_) {
      if (status == UV_EOF) {
        fail_handshake();
      } else {
        handshaking_ = false;
        handler_->on_connect(status);
      }
      return;
    }
    if (connected_) handler_->on_read_end(status);
  }

  void on_write(int status) override {
    Guard guard(*this);
    tcp_write_pending_ = false;
    if (!handler_) return;
    if (status >= 0) status = flush();
    if (status < 0) {
      write_failed(status);
      return;
    }
    if (!tcp_write_pending_ && app_write_pending_) {
      app_write_pending_ = false;
      handler_->on_write(0);
    }
  }

  // --- TLS

  void step_handshake() {
    int result = SSL_do_handshake(ssl_);
    int error = result == 1 ? SSL_ERROR_NONE : SSL_get_error(ssl_, result);
    bool waiting = error == SSL_ERROR_WANT_READ || error == SSL_ERROR_WANT_WRITE;
    int status = flush();  // the next flight, or the alert that explains a failure
    if (error != SSL_ERROR_NONE && !waiting) {
      fail_handshake();
    } else if (status < 0) {
      handshaking_ = false;
      handler_->on_connect(status);
    } else if (result == 1) {
      finish_handshake();
    }
  }

  void finish_handshake() {
    handshaking_ = false;
    connected_ = true;
    info_.handshake_end_ns = uv_hrtime();
    info_.version = tls_version_name(SSL_version(ssl_));
    const SSL_CIPHER* cipher = SSL_get_current_cipher(ssl_);
    info_.cipher_suite = cipher ? SSL_CIPHER_standard_name(cipher) : "";
    info_.session_reused = SSL_session_reused(ssl_) == 1;
    const unsigned char* protocol = nullptr;
    unsigned int length = 0;
    SSL_get0_alpn_selected(ssl_, &protocol, &length);
    if (protocol) info_.alpn = {reinterpret_cast<const char*>(protocol), length};
    handler_->on_connect(0);
  }

  void fail_handshake() {
    handshaking_ = false;
    info_.handshake_end_ns = uv_hrtime();
    long verify = SSL_get_verify_result(ssl_);
    unsigned long code = ERR_peek_last_error();
    if (verify != X509_V_OK) {
      bool wrong_name =
          verify == X509_V_ERR_HOSTNAME_MISMATCH || verify == X509_V_ERR_IP_ADDRESS_MISMATCH;
      info_.error = wrong_name ? ErrorCode::kTlsHostnameMismatch : ErrorCode::kTlsVerifyFailed;
      info_.error_message = "failed to verify certificate: ";
      info_.error_message += X509_verify_cert_error_string(verify);
    } else if (code && ERR_GET_LIB(code) == ERR_LIB_SSL &&
               (ERR_GET_REASON(code) == SSL_R_WRONG_VERSION_NUMBER ||
                ERR_GET_REASON(code) == SSL_R_PACKET_LENGTH_TOO_LONG)) {
      info_.error = ErrorCode::kTlsBadHeader;
      info_.error_message = "first record does not look like a TLS handshake (";
      info_.error_message += reason_text(code, "");
      info_.error_message += ")";
    } else {
      info_.error = ErrorCode::kTlsGeneric;
      info_.error_message = "handshake failed: ";
      info_.error_message += reason_text(code, "the server closed the connection");
    }
    ERR_clear_error();
    handler_->on_connect(kTlsFailed);
  }

  // Hands every decrypted byte to the handler. TLS 1.3 tickets and other
  // post-handshake messages are consumed here without reaching it.
  void drain() {
    while (handler_ && !ended_) {
      int n = SSL_read(ssl_, buffer_.data(), static_cast<int>(buffer_.size()));
      if (n > 0) {
        handler_->on_read(buffer_.data(), static_cast<size_t>(n));
        continue;
      }
      int error = SSL_get_error(ssl_, n);
      if (error == SSL_ERROR_WANT_READ) break;
      ended_ = true;
      if (error == SSL_ERROR_ZERO_RETURN) {
        handler_->on_read_end(UV_EOF);  // close_notify
        return;
      }
      // An alert after the handshake, e.g. a TLS 1.3 server refusing our
      // client certificate once it has seen it.
      info_.error = ErrorCode::kTlsGeneric;
      info_.error_message = reason_text(ERR_peek_last_error(), "TLS record error");
      ERR_clear_error();
      handler_->on_read_end(kTlsFailed);
      return;
    }
    if (handler_ && !ended_) {
      int status = flush();  // e.g. an answer to a key update; failures show on the next write
      (void)status;
    }
  }

  // Moves what OpenSSL wrote into the TCP stream; 0 or a libuv error. While a TCP
  // write is queued, `outgoing_` belongs to it and new output waits in the BIO.
  int flush() {
    if (!tcp_) return UV_ENOTCONN;
    while (!tcp_write_pending_) {
      size_t pending = BIO_ctrl_pending(out_);
      if (pending == 0) return 0;
      outgoing_.resize(pending);  // capacity is kept: no allocation once warm
      BIO_read(out_, outgoing_.data(), static_cast<int>(pending));
      int status = tcp_->write(outgoing_);
      if (status == kWritePending) {
        tcp_write_pending_ = true;
      } else if (status < 0) {
        return status;
      }
    }
    return 0;
  }

  void write_failed(int status) {
    if (handshaking_) {
      handshaking_ = false;
      handler_->on_connect(status);
    } else if (app_write_pending_) {
      app_write_pending_ = false;
      handler_->on_write(status);
    }
    // Otherwise it was TLS's own output; the next read or write reports the failure.
  }

  StreamHandler* handler_;
  std::span<char> buffer_;
  TlsSessionSlot* slot_;
  StreamPtr tcp_;
  SSL* ssl_ = nullptr;
  BIO* in_ = nullptr;   // ciphertext from the server, owned by ssl_
  BIO* out_ = nullptr;  // ciphertext for the server, owned by ssl_
  std::string outgoing_;
  TlsInfo info_;
  int depth_ = 0;
  bool closed_ = false;
  bool handshaking_ = false;
  bool connected_ = false;
  bool ended_ = false;
  bool tcp_write_pending_ = false;
  bool app_write_pending_ = false;
};

}  // namespace

StreamPtr make_tls_stream(uv_loop_t* loop, std::span<char> read_buffer, StreamHandler& handler,
                          const TlsTarget& target) {
  return StreamPtr(new TlsStream(loop, read_buffer, handler, target));
}

int remember_tls_session(SSL* ssl, SSL_SESSION* session) {
  return TlsStream::on_new_session(ssl, session);
}

}  // namespace lueng::http
