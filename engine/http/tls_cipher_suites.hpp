#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace lueng::http {

// A cipher suite OpenSSL knows, found by its standard (IANA) name, the name k6
// and the TLS RFCs use ("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256").
struct CipherSuite {
  std::string openssl_name;  // "ECDHE-RSA-AES128-GCM-SHA256"; TLS 1.3 suites keep the IANA name
  bool tls13 = false;        // configured with SSL_CTX_set_ciphersuites, not the cipher list
};

// Nothing when this OpenSSL has no suite of that standard name. Thread-safe.
std::optional<CipherSuite> find_cipher_suite(std::string_view standard_name);

// The standard name of the suite OpenSSL calls `openssl_name`, "" when none:
// for a hint when a script uses OpenSSL's spelling. Thread-safe.
std::string standard_cipher_suite_name(std::string_view openssl_name);

}  // namespace lueng::http
