#include "engine/http/tls_context.hpp"

#include <openssl/err.h>

#include "engine/http/protocols.hpp"
#include "engine/http/tls_stream.hpp"

namespace lueng::http {

namespace {

std::string last_openssl_error(std::string_view doing) {
  unsigned long code = ERR_peek_last_error();
  ERR_clear_error();
  const char* reason = code ? ERR_reason_error_string(code) : nullptr;
  return "tls: " + std::string(doing) + ": " + (reason ? reason : "unknown error");
}

}  // namespace

TlsContexts::TlsContexts(std::shared_ptr<const TlsMaterial> material)
    : material_(std::move(material)) {}

TlsContexts::~TlsContexts() = default;

SSL_CTX* TlsContexts::for_host(std::string_view host, std::string* error) {
  if (!material_) material_ = std::make_shared<const TlsMaterial>();
  int identity = material_->identity_for(host);
  size_t slot = static_cast<size_t>(identity + 1);
  if (contexts_.size() <= slot) contexts_.resize(material_->identities().size() + 1);
  if (!contexts_[slot]) contexts_[slot] = make(identity, error);
  return contexts_[slot].get();
}

SslCtxPtr TlsContexts::make(int identity, std::string* error) {
  const TlsOptions& options = material_->options();
  SslCtxPtr context(SSL_CTX_new(TLS_client_method()));
  if (!context) {
    *error = last_openssl_error("cannot create a context");
    return nullptr;
  }
  SSL_CTX* ctx = context.get();
  if (options.min_version) {
    SSL_CTX_set_min_proto_version(ctx, options.min_version);
    // OpenSSL 3 refuses TLS 1.0 and 1.1 above security level 0.
    if (options.min_version < TLS1_2_VERSION) SSL_CTX_set_security_level(ctx, 0);
  }
  if (options.max_version) SSL_CTX_set_max_proto_version(ctx, options.max_version);
  // The names were checked when the options were read; OpenSSL refuses a list
  // only when none of it is usable.
  if (!options.cipher_list.empty() &&
      SSL_CTX_set_cipher_list(ctx, options.cipher_list.c_str()) != 1) {
    *error = last_openssl_error("cannot use options.tlsCipherSuites");
    return nullptr;
  }
  if (!options.tls13_cipher_suites.empty() &&
      SSL_CTX_set_ciphersuites(ctx, options.tls13_cipher_suites.c_str()) != 1) {
    *error = last_openssl_error("cannot use options.tlsCipherSuites");
    return nullptr;
  }
  if (material_->verify()) {
    SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, nullptr);
    SSL_CTX_set1_cert_store(ctx, material_->trust_store());
  } else {
    SSL_CTX_set_verify(ctx, SSL_VERIFY_NONE, nullptr);
  }
  // Sessions live in each VU's Session (per host), not in OpenSSL's shared cache.
  SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_CLIENT | SSL_SESS_CACHE_NO_INTERNAL_STORE);
  SSL_CTX_sess_set_new_cb(ctx, remember_tls_session);
  // ALPN: the protocols a Connection exists for (protocols.cpp).
  std::string_view offer = alpn_offer();
  SSL_CTX_set_alpn_protos(ctx, reinterpret_cast<const unsigned char*>(offer.data()),
                          static_cast<unsigned int>(offer.size()));
  if (identity >= 0) {
    const TlsMaterial::ClientIdentity& id = material_->identities()[static_cast<size_t>(identity)];
    bool ok = SSL_CTX_use_certificate(ctx, id.chain.front().get()) == 1 &&
              SSL_CTX_use_PrivateKey(ctx, id.key.get()) == 1;
    for (size_t i = 1; ok && i < id.chain.size(); ++i)
      ok = SSL_CTX_add1_chain_cert(ctx, id.chain[i].get()) == 1;
    if (!ok) {
      *error = last_openssl_error("cannot use the client certificate");
      return nullptr;
    }
  }
  return context;
}

}  // namespace lueng::http
