#pragma once

#include <string>
#include <vector>

namespace lueng::http {

// A client certificate for mutual TLS, presented to the hosts it names.
struct TlsClientCertificate {
  std::vector<std::string> domains;  // exact names or "*.example.com"; empty: every host
  std::string cert;                  // a PEM file path, or PEM text ("-----BEGIN ...")
  std::string key;                   // the same for the private key
  std::string password;              // for an encrypted key; empty when none
  std::string where;                 // the option that set it, for error messages
};

// How https connections are made: the script's TLS options (k6 names) and the
// --insecure-skip-tls-verify flag. The default verifies against the system CAs.
struct TlsOptions {
  bool insecure_skip_verify = false;
  std::string ca_file;  // PEM file of extra trusted CAs (tlsCACert), added to the system ones
  std::vector<TlsClientCertificate> client_certificates;  // tlsAuth
  int min_version = 0;  // an OpenSSL TLS1_x_VERSION; 0: OpenSSL's default (TLS 1.2 in effect)
  int max_version = 0;  // 0: the newest OpenSSL knows
  // tlsCipherSuites, in OpenSSL's spelling: the TLS 1.2-and-older suites
  // (SSL_CTX_set_cipher_list) and the TLS 1.3 ones (SSL_CTX_set_ciphersuites).
  // Empty: OpenSSL's default for that group.
  std::string cipher_list;
  std::string tls13_cipher_suites;
};

}  // namespace lueng::http
