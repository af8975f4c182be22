#include "engine/http/tls_cipher_suites.hpp"

#include <map>

#include <openssl/err.h>

#include "engine/http/openssl_ptr.hpp"

namespace lueng::http {

namespace {

struct Catalog {
  std::map<std::string, CipherSuite, std::less<>> by_standard_name;
  std::map<std::string, std::string, std::less<>> standard_by_openssl_name;
};

// Every suite this OpenSSL build has, read from OpenSSL itself rather than a
// table of our own, so the names always match the library in use. Security level
// 0 only to list the old suites too; connections keep OpenSSL's level.
const Catalog& catalog() {
  static const Catalog built = [] {
    Catalog out;
    SslCtxPtr context(SSL_CTX_new(TLS_client_method()));
    if (!context) return out;
    SSL_CTX_set_cipher_list(context.get(), "ALL:COMPLEMENTOFALL:@SECLEVEL=0");
    SSL_CTX_set_ciphersuites(context.get(),
                             "TLS_AES_128_GCM_SHA256:TLS_AES_256_GCM_SHA384:"
                             "TLS_CHACHA20_POLY1305_SHA256:TLS_AES_128_CCM_SHA256:"
                             "TLS_AES_128_CCM_8_SHA256");
    ERR_clear_error();
    STACK_OF(SSL_CIPHER)* ciphers = SSL_CTX_get_ciphers(context.get());
    for (int i = 0; i < sk_SSL_CIPHER_num(ciphers); ++i) {
      const SSL_CIPHER* cipher = sk_SSL_CIPHER_value(ciphers, i);
      const char* standard = SSL_CIPHER_standard_name(cipher);
      const char* name = SSL_CIPHER_get_name(cipher);
      if (!standard || !name) continue;
      bool tls13 = std::string_view(SSL_CIPHER_get_version(cipher)) == "TLSv1.3";
      out.by_standard_name.emplace(standard, CipherSuite{name, tls13});
      out.standard_by_openssl_name.emplace(name, standard);
    }
    return out;
  }();
  return built;
}

}  // namespace

std::optional<CipherSuite> find_cipher_suite(std::string_view standard_name) {
  const Catalog& known = catalog();
  auto found = known.by_standard_name.find(standard_name);
  if (found == known.by_standard_name.end()) return std::nullopt;
  return found->second;
}

std::string standard_cipher_suite_name(std::string_view openssl_name) {
  const Catalog& known = catalog();
  auto found = known.standard_by_openssl_name.find(openssl_name);
  return found == known.standard_by_openssl_name.end() ? std::string() : found->second;
}

}  // namespace lueng::http
