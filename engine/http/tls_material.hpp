#pragma once

#include <mutex>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "engine/http/openssl_ptr.hpp"
#include "engine/http/tls_options.hpp"

namespace lueng::http {

// A TLS option that cannot be used (unreadable file, bad PEM, key not matching
// its certificate). The message names the option.
class TlsConfigError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// "tls1.0" .. "tls1.3" (k6's names) as an OpenSSL version; 0 when unknown.
int parse_tls_version(std::string_view name);
// The k6 name of an OpenSSL version ("tls1.3"), "" when unknown. Static strings.
const char* tls_version_name(int version);

// The TLS material of a run, read once and shared (read-only) by every worker:
// trusted CAs, client certificates with their keys, and the options. Files are
// read by the constructor, on the thread that builds the run plan, never on an
// event loop. The system CA store takes ~100 ms to parse, so it is loaded on the
// first verified handshake of the process (not per connection), and only then.
class TlsMaterial {
 public:
  // Throws TlsConfigError.
  explicit TlsMaterial(TlsOptions options = {});
  TlsMaterial(const TlsMaterial&) = delete;
  TlsMaterial& operator=(const TlsMaterial&) = delete;

  const TlsOptions& options() const { return options_; }
  bool verify() const { return !options_.insecure_skip_verify; }

  // The CAs a server certificate must chain to: the system's plus tlsCACert's.
  // Thread-safe; the store is shared, callers take their own reference.
  X509_STORE* trust_store() const;

  struct ClientIdentity {
    std::vector<X509Ptr> chain;  // the certificate, then its intermediates
    EvpPkeyPtr key;
  };
  const std::vector<ClientIdentity>& identities() const { return identities_; }
  // The identity (index into identities()) to present to `host`, or -1 for none.
  int identity_for(std::string_view host) const;

 private:
  TlsOptions options_;
  std::vector<X509Ptr> extra_cas_;
  std::vector<ClientIdentity> identities_;
  mutable std::once_flag trust_once_;
  mutable X509StorePtr trust_;
};

}  // namespace lueng::http
