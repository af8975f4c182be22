#include <catch2/catch.hpp>

#include "engine/http/tls_cipher_suites.hpp"

using namespace lueng::http;

TEST_CASE("cipher suites are found by their IANA names, in OpenSSL's spelling") {
  auto tls12 = find_cipher_suite("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256");
  REQUIRE(tls12);
  CHECK(tls12->openssl_name == "ECDHE-RSA-AES128-GCM-SHA256");
  CHECK_FALSE(tls12->tls13);

  auto tls13 = find_cipher_suite("TLS_CHACHA20_POLY1305_SHA256");
  REQUIRE(tls13);
  CHECK(tls13->openssl_name == "TLS_CHACHA20_POLY1305_SHA256");
  CHECK(tls13->tls13);

  CHECK_FALSE(find_cipher_suite("ECDHE-RSA-AES128-GCM-SHA256"));  // OpenSSL's name is not IANA's
  CHECK_FALSE(find_cipher_suite("TLS_NO_SUCH_SUITE"));
  CHECK(standard_cipher_suite_name("ECDHE-RSA-AES128-GCM-SHA256") ==
        "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256");
  CHECK(standard_cipher_suite_name("nonsense").empty());
}
