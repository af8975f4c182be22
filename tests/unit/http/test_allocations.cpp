// Counts heap allocations made on the test's own thread, to hold the client to the
// design rule: no allocation per request in steady state on a kept-alive connection.

#include <catch2/catch.hpp>

#include <cstdlib>
#include <new>

#include "test_harness.hpp"
#include "test_server.hpp"

// AddressSanitizer brings its own operator new; replacing it there breaks ASan's
// allocation bookkeeping, so the count is only taken in normal builds.
#if defined(__SANITIZE_ADDRESS__)
#define LUENG_COUNT_ALLOCATIONS 0
#else
#define LUENG_COUNT_ALLOCATIONS 1
#endif

namespace {
thread_local bool counting = false;
thread_local long allocations = 0;
}  // namespace

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
  counting = true;
  harness.session().send(request, harness.response, &harness.recorder);
  uv_run(harness.loop(), UV_RUN_DEFAULT);
  counting = false;

  if (LUENG_COUNT_ALLOCATIONS) {
    CHECK(allocations == 0);
  } else {
    WARN("allocations are not counted under AddressSanitizer");
  }
  CHECK(harness.recorder.calls == 4);
  CHECK(harness.response.status == 200);
  CHECK(harness.response.body.size() == 47);
  CHECK(server.accepted() == 1);
}
