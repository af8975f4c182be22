// https against a TLS server in the test process, with certificates made for the
// test: verification, hostname checks, mutual TLS, resumption, timings.

#include <catch2/catch.hpp>

#include <memory>
#include <string>

#include "engine/http/tls_material.hpp"
#include "test_certificates.hpp"
#include "test_harness.hpp"
#include "test_server.hpp"
#include "tls_test_server.hpp"

using namespace lueng::http;
using namespace lueng::http::testing;

namespace {

std::shared_ptr<const TlsMaterial> trusting(const Certificates& certificates) {
  TlsOptions options;
  options.ca_file = certificates.ca().cert_path;
  return std::make_shared<const TlsMaterial>(options);
}

std::shared_ptr<const TlsMaterial> with_client_certificate(const Certificates& certificates,
                                                           const Identity& client,
                                                           std::vector<std::string> domains = {}) {
  TlsOptions options;
  options.ca_file = certificates.ca().cert_path;
  options.client_certificates.push_back(
      {std::move(domains), client.cert_path, client.key_path, "", "options.tlsAuth[1]"});
  return std::make_shared<const TlsMaterial>(options);
}

}  // namespace

TEST_CASE("https with the test CA trusted: verified, timed, tagged") {
  Certificates certificates;
  certificates.make_all();
  TlsTestServer server({&certificates.server()});
  Harness harness("lueng-test/1.0", trusting(certificates));

  ResponseData& first = harness.get(server.url());
  CHECK(first.error == "");
  CHECK(first.error_code == ErrorCode::kNone);
  CHECK(first.status == 200);
  CHECK(first.body == "hello");
  CHECK(std::string(first.tls_version) == "tls1.3");
  CHECK(std::string(first.tls_cipher_suite).rfind("TLS_", 0) == 0);
  CHECK_FALSE(first.tls_session_reused);
  CHECK(first.timings.tls_handshaking > 0);
  CHECK(first.bytes_received ==
        std::string("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello").size());

  ResponseData& second = harness.get(server.url());  // kept alive: no new handshake
  CHECK(second.status == 200);
  CHECK(second.timings.tls_handshaking == 0);
  CHECK(std::string(second.tls_version) == "tls1.3");
  CHECK(server.accepted() == 1);
  CHECK(server.requests() == 2);
}

TEST_CASE("https to an unknown CA fails verification: tls_verify_failed") {
  Certificates certificates;
  certificates.make_all();
  TlsTestServer server({&certificates.server()});
  Harness harness;  // the system CAs only

  ResponseData& response = harness.get(server.url());
  CHECK(response.status == 0);
  CHECK(response.error_code == ErrorCode::kTlsVerifyFailed);
  CHECK_THAT(response.error, Catch::Contains("localhost:" + std::to_string(server.port())) &&
                                 Catch::Contains("failed to verify certificate"));
  CHECK(response.timings.tls_handshaking > 0);
  CHECK(server.handshakes() == 0);
}

TEST_CASE("insecureSkipTLSVerify accepts any certificate") {
  Certificates certificates;
  certificates.make_all("DNS:elsewhere.example");
  TlsTestServer server({&certificates.server()});
  TlsOptions options;
  options.insecure_skip_verify = true;
  Harness harness("lueng-test/1.0", std::make_shared<const TlsMaterial>(options));

  ResponseData& response = harness.get(server.url("127.0.0.1"));
  CHECK(response.error == "");
  CHECK(response.status == 200);
  CHECK(response.body == "hello");
}

TEST_CASE("a certificate for other names is rejected: tls_hostname_mismatch") {
  Certificates certificates;
  certificates.make_all("DNS:localhost");  // no IP address entry
  TlsTestServer server({&certificates.server()});
  Harness harness("lueng-test/1.0", trusting(certificates));

  ResponseData& by_address = harness.get(server.url("127.0.0.1"));
  CHECK(by_address.error_code == ErrorCode::kTlsHostnameMismatch);
  CHECK_THAT(by_address.error, Catch::Contains("mismatch"));
  CHECK(harness.get(server.url("localhost")).status == 200);  // the name it was made for
}

TEST_CASE("mutual TLS: the client certificate is presented and accepted") {
  Certificates certificates;
  certificates.make_all();
  TlsServerConfig config{&certificates.server(), &certificates.ca()};
  TlsTestServer server(config);
  Harness harness("lueng-test/1.0",
                  with_client_certificate(certificates, certificates.client(), {"localhost"}));
  ResponseData& response = harness.get(server.url());
  CHECK(response.error == "");
  CHECK(response.status == 200);
  CHECK(server.client_certificates() == 1);
}

TEST_CASE("mutual TLS: no certificate, or one of another CA, is refused") {
  Certificates certificates;
  certificates.make_all();
  auto max_version = GENERATE(0, TLS1_2_VERSION);
  CAPTURE(max_version);
  TlsServerConfig config{&certificates.server(), &certificates.ca(), max_version};
  TlsTestServer server(config);
  SECTION("none") {
    Harness harness("lueng-test/1.0", trusting(certificates));
    ResponseData& response = harness.get(server.url());
    CHECK(response.status == 0);
    CHECK(response.error_code == ErrorCode::kTlsGeneric);
    CHECK_THAT(response.error, Catch::Contains("alert"));
  }
  SECTION("a stranger's, or one meant for other domains") {
    bool stranger = GENERATE(true, false);
    Harness harness(
        "lueng-test/1.0",
        stranger ? with_client_certificate(certificates, certificates.stranger())
                 : with_client_certificate(certificates, certificates.client(), {"*.example.com"}));
    ResponseData& response = harness.get(server.url());
    CHECK(response.status == 0);
    CHECK(response.error_code == ErrorCode::kTlsGeneric);
  }
  CHECK(server.requests() == 0);
}

TEST_CASE("reconnecting to the same host resumes the TLS session") {
  Certificates certificates;
  certificates.make_all();
  auto max_version = GENERATE(0, TLS1_2_VERSION);
  CAPTURE(max_version);
  TlsServerConfig config{&certificates.server(), nullptr, max_version, true};
  TlsTestServer server(config);
  Harness harness("lueng-test/1.0", trusting(certificates));

  ResponseData& first = harness.get(server.url());
  CHECK(first.status == 200);
  CHECK_FALSE(first.tls_session_reused);
  CHECK(std::string(first.tls_version) == (max_version ? "tls1.2" : "tls1.3"));
  for (int i = 0; i < 2; ++i) {
    ResponseData& again = harness.get(server.url());  // the server closed: a new connection
    CHECK(again.status == 200);
    CHECK(again.tls_session_reused);
    CHECK(again.timings.tls_handshaking > 0);
  }
  CHECK(server.accepted() == 3);
  CHECK(server.resumed() == 2);
}

TEST_CASE("https to a plain HTTP port: tls_bad_header") {
  TestServer server([](Peer& peer, int) {
    peer.send("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n");
    peer.wait_for_close();
  });
  TlsOptions options;
  options.insecure_skip_verify = true;
  Harness harness("lueng-test/1.0", std::make_shared<const TlsMaterial>(options));
  ResponseData& response = harness.get("https://127.0.0.1:" + std::to_string(server.port()) + "/");
  CHECK(response.status == 0);
  CHECK(response.error_code == ErrorCode::kTlsBadHeader);
}

TEST_CASE("unusable TLS files are configuration errors naming the option") {
  Certificates certificates;
  certificates.make_all();
  TlsOptions missing;
  missing.ca_file = certificates.path("nowhere.pem");
  CHECK_THROWS_WITH(TlsMaterial(missing),
                    Catch::Contains("options.tlsCACert") && Catch::Contains("nowhere.pem"));
  TlsOptions not_pem;
  not_pem.ca_file = certificates.path("garbage.txt");
  FILE* out = fopen(not_pem.ca_file.c_str(), "w");
  fputs("not a certificate\n", out);
  fclose(out);
  CHECK_THROWS_WITH(TlsMaterial(not_pem), Catch::Contains("no PEM certificate"));
  TlsOptions mismatch;
  mismatch.client_certificates.push_back({{},
                                          certificates.client().cert_path,
                                          certificates.stranger().key_path,
                                          "",
                                          "options.tlsAuth[1]"});
  CHECK_THROWS_WITH(TlsMaterial(mismatch),
                    Catch::Contains("options.tlsAuth[1].key") && Catch::Contains("does not match"));
}
