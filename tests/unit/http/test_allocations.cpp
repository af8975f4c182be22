// Counts heap allocations made on the test's own thread, to hold the client to the
// design rule: no allocation per request in steady state on a kept-alive connection.

#include <catch2/catch.hpp>

#include <cstdlib>
#include <new>

#include <openssl/crypto.h>

#include "engine/http/tls_material.hpp"
#include "test_certificates.hpp"
#include "test_harness.hpp"
#include "test_server.hpp"
#include "tls_test_server.hpp"

// AddressSanitizer brings its own operator new; replacing it there breaks ASan's
// allocation bookkeeping, so the count is only taken in normal builds.
#if defined(__SANITIZE_ADDRESS__)
#define LUENG_COUNT_ALLOCATIONS 0
#else
#define LUENG_COUNT_ALLOCATIONS 1
#endif

namespace {
thread_local bool counting = false;
thread_local long allocations = 0;          // by lueng's code (operator new)
thread_local long openssl_allocations = 0;  // inside OpenSSL
}  // namespace

// The replacements below pair malloc with free, which GCC cannot see through once
// it inlines them into callers that use new and delete.
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"

#if LUENG_COUNT_ALLOCATIONS
void* operator new(std::size_t size) {
  if (counting) ++allocations;
  if (void* p = std::malloc(size ? size : 1)) return p;
  throw std::bad_alloc();
}
void* operator new[](std::size_t size) {
  return operator new(size);
}
void operator delete(void* p) noexcept {
  std::free(p);
}
void operator delete[](void* p) noexcept {
  std::free(p);
}
void operator delete(void* p, std::size_t) noexcept {
  std::free(p);
}
void operator delete[](void* p, std::size_t) noexcept {
  std::free(p);
}
#endif

// OpenSSL allocates with malloc, not operator new: count those too. Installed
// before main, ahead of OpenSSL's first allocation (after it, OpenSSL refuses).
namespace {
void* counting_malloc(size_t size, const char*, int) {
  if (counting) ++openssl_allocations;
  return std::malloc(size);
}
void* counting_realloc(void* p, size_t size, const char*, int) {
  if (counting) ++openssl_allocations;
  return std::realloc(p, size);
}
void counting_free(void* p, const char*, int) {
  std::free(p);
}
const bool openssl_counted =
    CRYPTO_set_mem_functions(counting_malloc, counting_realloc, counting_free) == 1;
}  // namespace

using namespace lueng::http;
using namespace lueng::http::testing;

TEST_CASE("a request on a kept-alive connection allocates nothing") {
  const std::string wire =
      "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nX-Request-Id: 42\r\n"
      "Content-Length: 47\r\n\r\n{\"ok\": true, \"items\": [1, 2, 3, 4, 5, 6, 7, 8]}";
  TestServer server([wire](Peer& peer, int) {
    while (!peer.read_request().empty()) peer.send(wire);
  });
  Harness harness;
  Request request = harness.request(server.url("/api/items?page=2"), "POST");
  std::vector<Header> headers{{"Content-Type", "application/json"}, {"Authorization", "Bearer x"}};
  request.headers = headers;
  request.body = R"({"name":"a long enough body to leave the small-string buffer"})";
  for (int i = 0; i < 3; ++i) harness.run(request);  // warm up buffers and the pool

  allocations = 0;
  openssl_allocations = 0;
  counting = true;
  harness.session().send(request, harness.response, &harness.recorder);
  uv_run(harness.loop(), UV_RUN_DEFAULT);
  counting = false;

  if (LUENG_COUNT_ALLOCATIONS) {
    CHECK(allocations == 0);
    CHECK(openssl_allocations == 0);
  } else {
    WARN("allocations are not counted under AddressSanitizer");
  }
  CHECK(harness.recorder.calls == 4);
  CHECK(harness.response.status == 200);
  CHECK(harness.response.body.size() == 47);
  CHECK(server.accepted() == 1);
}

TEST_CASE("a request on a kept-alive TLS connection allocates nothing of lueng's") {
  Certificates certificates;
  certificates.make_all();
  TlsServerConfig config{&certificates.server()};
  config.body = R"({"ok": true, "items": [1, 2, 3, 4, 5, 6, 7, 8]})";
  TlsTestServer server(config);
  TlsOptions options;
  options.ca_file = certificates.ca().cert_path;
  Harness harness("lueng-test/1.0", std::make_shared<const TlsMaterial>(options));
  Request request = harness.request(server.url("localhost", "/api/items?page=2"), "POST");
  std::vector<Header> headers{{"Content-Type", "application/json"}, {"Authorization", "Bearer x"}};
  request.headers = headers;
  request.body = R"({"name":"a long enough body to leave the small-string buffer"})";
  for (int i = 0; i < 3; ++i) harness.run(request);  // handshake, tickets, buffers

  constexpr int kRequests = 10;
  allocations = 0;
  openssl_allocations = 0;
  counting = true;
  for (int i = 0; i < kRequests; ++i) {
    harness.session().send(request, harness.response, &harness.recorder);
    uv_run(harness.loop(), UV_RUN_DEFAULT);
  }
  counting = false;

  CHECK(openssl_counted);
  if (LUENG_COUNT_ALLOCATIONS) {
    CHECK(allocations == 0);
  } else {
    WARN("allocations are not counted under AddressSanitizer");
  }
  // OpenSSL 3.0's record layer takes a 40-byte scratch buffer (WPACKET) per record
  // it builds or opens; nothing that grows, nothing lueng can pool from outside.
  CHECK(openssl_allocations <= 4 * kRequests);
  CHECK(harness.response.status == 200);
  CHECK(std::string(harness.response.tls_version) == "tls1.3");
  CHECK(harness.response.body == config.body);
  CHECK(server.accepted() == 1);
}
