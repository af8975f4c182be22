#pragma once

// Certificates made at test time with the OpenSSL API: a CA, leaf certificates it
// signs (server and client), written as PEM files into a fresh temporary folder.

#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <stdexcept>
#include <string>

namespace lueng::http::testing {

struct Identity {
  EVP_PKEY* key = nullptr;
  X509* cert = nullptr;
  std::string cert_path, key_path;
};

class Certificates {
 public:
  Certificates() {
    char folder[] = "/tmp/lueng-tls-XXXXXX";
    if (!mkdtemp(folder)) throw std::runtime_error("mkdtemp failed");
    dir_ = folder;
  }
  ~Certificates() {
    for (Identity* id : {&ca_, &other_ca_, &server_, &client_, &stranger_}) {
      EVP_PKEY_free(id->key);
      X509_free(id->cert);
    }
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
  }
  Certificates(const Certificates&) = delete;
  Certificates& operator=(const Certificates&) = delete;

  // A CA; a server certificate for localhost and 127.0.0.1 it signed; a client
  // certificate it signed; and a client certificate of an unrelated CA.
  void make_all(const std::string& server_names = "DNS:localhost,IP:127.0.0.1") {
    make(ca_, "ca", "lueng test CA", nullptr, true, "");
    make(other_ca_, "other-ca", "some other CA", nullptr, true, "");
    make(server_, "server", "localhost", &ca_, false, server_names);
    make(client_, "client", "lueng test client", &ca_, false, "");
    make(stranger_, "stranger", "a stranger", &other_ca_, false, "");
  }

  const Identity& ca() const { return ca_; }
  const Identity& server() const { return server_; }
  const Identity& client() const { return client_; }
  const Identity& stranger() const { return stranger_; }
  std::string path(const std::string& name) const { return dir_ + "/" + name; }

 private:
  void make(Identity& id, const std::string& file, const std::string& common_name,
            const Identity* issuer, bool is_ca, const std::string& names) {
    id.key = EVP_EC_gen("P-256");
    id.cert = X509_new();
    X509_set_version(id.cert, 2);
    ASN1_INTEGER_set(X509_get_serialNumber(id.cert), ++serial_);
    X509_gmtime_adj(X509_getm_notBefore(id.cert), -3600);
    X509_gmtime_adj(X509_getm_notAfter(id.cert), 86400);
    X509_set_pubkey(id.cert, id.key);
    X509_NAME* name = X509_get_subject_name(id.cert);
    X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                               reinterpret_cast<const unsigned char*>(common_name.c_str()), -1, -1,
                               0);
    X509* issuer_cert = issuer ? issuer->cert : id.cert;
    X509_set_issuer_name(id.cert, X509_get_subject_name(issuer_cert));
    X509V3_CTX ctx;
    X509V3_set_ctx_nodb(&ctx);
    X509V3_set_ctx(&ctx, issuer_cert, id.cert, nullptr, nullptr, 0);
    add_extension(ctx, id.cert, NID_basic_constraints, is_ca ? "critical,CA:TRUE" : "CA:FALSE");
    if (is_ca) {
      add_extension(ctx, id.cert, NID_key_usage, "critical,keyCertSign,cRLSign");
      add_extension(ctx, id.cert, NID_subject_key_identifier, "hash");
    } else {
      add_extension(ctx, id.cert, NID_authority_key_identifier, "keyid");
    }
    if (!names.empty()) add_extension(ctx, id.cert, NID_subject_alt_name, names.c_str());
    X509_sign(id.cert, issuer ? issuer->key : id.key, EVP_sha256());
    id.cert_path = path(file + ".pem");
    id.key_path = path(file + "-key.pem");
    FILE* out = fopen(id.cert_path.c_str(), "w");
    PEM_write_X509(out, id.cert);
    fclose(out);
    out = fopen(id.key_path.c_str(), "w");
    PEM_write_PrivateKey(out, id.key, nullptr, nullptr, 0, nullptr, nullptr);
    fclose(out);
  }

  static void add_extension(X509V3_CTX& ctx, X509* cert, int nid, const char* value) {
    X509_EXTENSION* extension = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value);
    if (!extension) throw std::runtime_error(std::string("bad extension ") + value);
    X509_add_ext(cert, extension, -1);
    X509_EXTENSION_free(extension);
  }

  std::string dir_;
  long serial_ = 0;
  Identity ca_, other_ca_, server_, client_, stranger_;
};

}  // namespace lueng::http::testing
