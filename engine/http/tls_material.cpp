#include "engine/http/tls_material.hpp"

#include <cerrno>
#include <cstdlib>
#include <cstring>

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include "engine/http/ascii.hpp"

namespace lueng::http {

namespace {

// The system CAs, parsed once per process: the bundle file (SSL_CERT_FILE or
// OpenSSL's default, Debian's /etc/ssl/certs/ca-certificates.crt), else the hashed
// directory. Never freed: every SSL_CTX of the process may hold it.
X509_STORE* system_store() {
  static X509_STORE* const store = [] {
    X509_STORE* s = X509_STORE_new();
    const char* file = std::getenv(X509_get_default_cert_file_env());
    if (!file || !*file) file = X509_get_default_cert_file();
    if (X509_STORE_load_file(s, file) != 1) {
      const char* dir = std::getenv(X509_get_default_cert_dir_env());
      if (!dir || !*dir) dir = X509_get_default_cert_dir();
      X509_STORE_load_path(s, dir);
    }
    // The same first use for the bundle's CAs, before the store is shared.
    STACK_OF(X509_OBJECT)* objects = X509_STORE_get0_objects(s);
    for (int i = 0; i < sk_X509_OBJECT_num(objects); ++i)
      if (X509* ca = X509_OBJECT_get0_X509(sk_X509_OBJECT_value(objects, i)))
        X509_check_purpose(ca, -1, 0);
    ERR_clear_error();
    return s;
  }();
  return store;
}

std::string openssl_reason() {
  unsigned long code = ERR_peek_last_error();
  ERR_clear_error();
  if (!code) return "unknown error";
  const char* reason = ERR_reason_error_string(code);
  return reason ? reason : "unknown error";
}

bool is_pem_text(const std::string& value) {
  return value.find("-----BEGIN") != std::string::npos;
}

// A BIO over a PEM file, or over the text itself when the value is PEM.
BioPtr open_pem(const std::string& value, const std::string& where) {
  if (value.empty()) throw TlsConfigError(where + ": must be a PEM file path or PEM text");
  if (is_pem_text(value))
    return BioPtr(BIO_new_mem_buf(value.data(), static_cast<int>(value.size())));
  BioPtr bio(BIO_new_file(value.c_str(), "r"));
  if (!bio) {
    int error = errno;
    ERR_clear_error();
    throw TlsConfigError(where + ": cannot read '" + value + "': " + std::strerror(error));
  }
  return bio;
}

std::string source_name(const std::string& value) {
  return is_pem_text(value) ? "the PEM text" : "'" + value + "'";
}

std::vector<X509Ptr> read_certificates(const std::string& value, const std::string& where) {
  BioPtr bio = open_pem(value, where);
  std::vector<X509Ptr> certificates;
  while (X509* certificate = PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr)) {
    // OpenSSL decodes a certificate's extensions (key identifiers, purposes) on
    // first use and caches them in the object. Every worker's handshakes share these
    // certificates, so that first use happens here, before any worker starts: the
    // workers' verifications then only read (ThreadSanitizer saw two of them race).
    X509_check_purpose(certificate, -1, 0);
    certificates.emplace_back(certificate);
  }
  ERR_clear_error();  // the end of the input reads as "no start line"
  if (certificates.empty())
    throw TlsConfigError(where + ": no PEM certificate in " + source_name(value));
  return certificates;
}

// Never prompts on the terminal: an encrypted key without a password just fails.
int give_password(char* buffer, int size, int, void* password) {
  const auto& text = *static_cast<const std::string*>(password);
  if (text.empty() || static_cast<int>(text.size()) > size) return 0;
  std::memcpy(buffer, text.data(), text.size());
  return static_cast<int>(text.size());
}

EvpPkeyPtr read_key(const TlsClientCertificate& entry) {
  std::string where = entry.where + ".key";
  BioPtr bio = open_pem(entry.key, where);
  EVP_PKEY* key = PEM_read_bio_PrivateKey(bio.get(), nullptr, give_password,
                                          const_cast<std::string*>(&entry.password));
  if (!key)
    throw TlsConfigError(where + ": no usable PEM private key in " + source_name(entry.key) + " (" +
                         openssl_reason() + ")");
  return EvpPkeyPtr(key);
}

bool host_matches(std::string_view pattern, std::string_view host) {
  if (pattern.size() > 2 && pattern.substr(0, 2) == "*.") {
    std::string_view suffix = pattern.substr(1);  // ".example.com"
    return host.size() > suffix.size() &&
           ascii_iequals(host.substr(host.size() - suffix.size()), suffix);
  }
  return ascii_iequals(pattern, host);
}

}  // namespace

int parse_tls_version(std::string_view name) {
  if (name == "tls1.0") return TLS1_VERSION;
  if (name == "tls1.1") return TLS1_1_VERSION;
  if (name == "tls1.2") return TLS1_2_VERSION;
  if (name == "tls1.3") return TLS1_3_VERSION;
  return 0;
}

const char* tls_version_name(int version) {
  switch (version) {
    case TLS1_VERSION:
      return "tls1.0";
    case TLS1_1_VERSION:
      return "tls1.1";
    case TLS1_2_VERSION:
      return "tls1.2";
    case TLS1_3_VERSION:
      return "tls1.3";
    default:
      return "";
  }
}

TlsMaterial::TlsMaterial(TlsOptions options) : options_(std::move(options)) {
  if (!options_.ca_file.empty())
    extra_cas_ = read_certificates(options_.ca_file, "options.tlsCACert");
  for (const TlsClientCertificate& entry : options_.client_certificates) {
    ClientIdentity identity;
    identity.chain = read_certificates(entry.cert, entry.where + ".cert");
    identity.key = read_key(entry);
    if (X509_check_private_key(identity.chain.front().get(), identity.key.get()) != 1) {
      ERR_clear_error();
      throw TlsConfigError(entry.where + ".key: does not match the certificate in " + entry.where +
                           ".cert");
    }
    identities_.push_back(std::move(identity));
  }
}

X509_STORE* TlsMaterial::trust_store() const {
  std::call_once(trust_once_, [this] {
    X509_STORE* system = system_store();
    if (extra_cas_.empty()) {
      X509_STORE_up_ref(system);
      trust_.reset(system);
      return;
    }
    trust_.reset(X509_STORE_new());
    STACK_OF(X509)* all = X509_STORE_get1_all_certs(system);
    for (int i = 0; all && i < sk_X509_num(all); ++i)
      X509_STORE_add_cert(trust_.get(), sk_X509_value(all, i));
    sk_X509_pop_free(all, X509_free);
    for (const X509Ptr& ca : extra_cas_) X509_STORE_add_cert(trust_.get(), ca.get());
    ERR_clear_error();  // a CA listed twice is not an error worth keeping
  });
  return trust_.get();
}

int TlsMaterial::identity_for(std::string_view host) const {
  const auto& entries = options_.client_certificates;
  for (size_t i = 0; i < entries.size(); ++i) {
    if (entries[i].domains.empty()) return static_cast<int>(i);
    for (const std::string& domain : entries[i].domains)
      if (host_matches(domain, host)) return static_cast<int>(i);
  }
  return -1;
}

}  // namespace lueng::http
