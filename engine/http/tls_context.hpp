#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "engine/http/openssl_ptr.hpp"
#include "engine/http/tls_material.hpp"

namespace lueng::http {

// The SSL_CTXs of one worker's Client: one per distinct TLS configuration (no
// client certificate, or one per tlsAuth entry), each made on first use and kept
// for the run, never made per connection. Loop thread only.
class TlsContexts {
 public:
  // Without material, connections verify against the system CAs.
  explicit TlsContexts(std::shared_ptr<const TlsMaterial> material);
  ~TlsContexts();
  TlsContexts(const TlsContexts&) = delete;
  TlsContexts& operator=(const TlsContexts&) = delete;

  // The context for connections to `host`, or null with `error` set when OpenSSL
  // cannot make one.
  SSL_CTX* for_host(std::string_view host, std::string* error);

 private:
  SslCtxPtr make(int identity, std::string* error);

  std::shared_ptr<const TlsMaterial> material_;
  std::vector<SslCtxPtr> contexts_;  // [0]: no client certificate, [i + 1]: identity i
};

}  // namespace lueng::http
