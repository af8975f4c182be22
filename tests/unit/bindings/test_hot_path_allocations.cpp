// Holds the whole engine to the design rule: no heap allocation per request in
// steady state. Two runs of the same script differ only in their number of
// iterations; the extra requests must not bring extra allocations.

#include <catch2/catch.hpp>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <new>

#include "../http/test_server.hpp"
#include "bindings/lua_runtime.hpp"
#include "engine/exec/test_run.hpp"
#include "engine/output/sample_writer.hpp"

// AddressSanitizer brings its own operator new; the count is taken in normal builds.
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define LUENG_COUNT_ALLOCATIONS 0
#else
#define LUENG_COUNT_ALLOCATIONS 1
#endif

namespace {
std::atomic<long> g_allocations{0};
thread_local bool t_test_server = false;  // the server's own allocations are not the engine's
}  // namespace

#if LUENG_COUNT_ALLOCATIONS
// GCC 12 inlines these replacements into the standard containers' code of this
// file and then reports the free() of memory from operator new as a mismatch:
// both go through malloc and free here, so there is none.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
#endif
void* operator new(std::size_t size) {
  if (!t_test_server) g_allocations.fetch_add(1, std::memory_order_relaxed);
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

using lueng::http::testing::Peer;
using lueng::http::testing::TestServer;

namespace {
// A streaming output that only counts: what is left is the cost of the hand-off.
class CountingOutput : public lueng::output::Output {
 public:
  bool streams_samples() const override { return true; }
  void add_sample(const lueng::output::Sample&) override { ++samples; }
  std::string finish(const lueng::result::RunResult&) override { return ""; }
  uint64_t samples = 0;
};
}  // namespace

TEST_CASE("requests in steady state allocate nothing on the engine side") {
  // Also with an output streaming every sample (--out json=...).
  bool streaming = GENERATE(false, true);
  INFO("streaming samples to an output: " << streaming);
  if (!LUENG_COUNT_ALLOCATIONS) SUCCEED("allocation counting is off under sanitizers");
  TestServer server([](Peer& peer, int) {
    t_test_server = true;
    while (!peer.read_request().empty())
      peer.send(
          "HTTP/1.1 200 OK\r\nContent-Length: 17\r\nContent-Type: "
          "application/json\r\n\r\n{\"status\":\"ok\"}\r\n");
  });
  // The URL changes every request (its parse reuses buffers); the name tag is
  // the script's, as k6's default name (the URL, query included) would make
  // every request a series of its own.
  auto script = std::filesystem::temp_directory_path() / "lueng-alloc-test.lua";
  {
    FILE* f = std::fopen(script.c_str(), "w");
    std::fputs(
        "local http = require 'lueng.http'\n"
        "local lueng = require 'lueng'\n"
        "function default()\n"
        "  local res = http.get(ENV.URL .. '?page=' .. lueng.vu.iteration .. '&r=' .. "
        "math.random(1000), { tags = { endpoint = 'x', name = 'data' } })\n"
        "  lueng.check(res, { ok = function(r) return r.status == 200 and #r.body > 0 end })\n"
        "end\n",
        f);
    std::fclose(f);
  }
  auto allocations_for = [&](int64_t iterations) {
    lueng::exec::TestRunConfig config;
    config.runtime = lueng::bindings::lua_runtime();
    config.source.path = script.string();
    config.source.module_dirs = {script.parent_path().string()};
    config.source.env = {{"URL", server.url("/data")}};
    config.shortcuts.iterations = iterations;
    config.threads = 1;
    config.progress = false;
    CountingOutput output;
    std::unique_ptr<lueng::output::SampleWriter> writer;
    if (streaming) {
      writer = std::make_unique<lueng::output::SampleWriter>(
          std::vector<lueng::output::Output*>{&output});
      config.samples = writer.get();
    }
    lueng::exec::TestRun run(config);
    run.prepare();
    long before = g_allocations.load();
    auto result = run.execute();
    if (writer) {
      uint64_t dropped = writer->stop();
      // Every request brings 11 samples, an iteration 2 more and a check one.
      CHECK(output.samples + dropped >= static_cast<uint64_t>(iterations) * 14);
    }
    long used = g_allocations.load() - before;
    REQUIRE(result.metrics.find("http_reqs")->total.sum == static_cast<double>(iterations));
    return used;
  };
  long short_run = allocations_for(500);
  long long_run = allocations_for(5500);
  INFO("500 iterations: " << short_run << " allocations, 5500 iterations: " << long_run);
  // 5000 more requests; a per-request allocation would add at least 5000.
  CHECK(long_run - short_run < 500);
  std::filesystem::remove(script);
}

namespace {

// Allocations of a whole run of `script` with `iterations` iterations on one VU,
// each sending `requests_per_iteration` requests.
long run_allocations(const std::string& script, const std::string& url, int64_t iterations,
                     int64_t requests_per_iteration = 1) {
  auto path = std::filesystem::temp_directory_path() / "lueng-alloc-cookie-test.lua";
  {
    FILE* f = std::fopen(path.c_str(), "w");
    std::fputs(script.c_str(), f);
    std::fclose(f);
  }
  lueng::exec::TestRunConfig config;
  config.runtime = lueng::bindings::lua_runtime();
  config.source.path = path.string();
  config.source.module_dirs = {path.parent_path().string()};
  config.source.env = {{"URL", url}};
  config.shortcuts.iterations = iterations;
  config.threads = 1;
  config.progress = false;
  lueng::exec::TestRun run(config);
  run.prepare();
  long before = g_allocations.load();
  auto result = run.execute();
  long used = g_allocations.load() - before;
  REQUIRE(result.metrics.find("http_reqs")->total.sum ==
          static_cast<double>(iterations * requests_per_iteration));
  std::filesystem::remove(path);
  return used;
}

}  // namespace

TEST_CASE("a VU sending its session cookie on every request allocates nothing per request") {
  if (!LUENG_COUNT_ALLOCATIONS) SUCCEED("allocation counting is off under sanitizers");
  // The cookie is set once per connection, then only sent back.
  TestServer server([](Peer& peer, int) {
    t_test_server = true;
    bool first = true;
    while (!peer.read_request().empty()) {
      peer.send(first ? "HTTP/1.1 200 OK\r\nSet-Cookie: session=abc123; Path=/\r\n"
                        "Content-Length: 2\r\n\r\nok"
                      : "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
      first = false;
    }
  });
  const std::string script =
      "local http = require 'lueng.http'\n"
      "options = { noCookiesReset = true }\n"
      "function default()\n"
      "  http.get(ENV.URL, { headers = { ['Accept-Encoding'] = 'gzip' } })\n"
      "end\n";
  long short_run = run_allocations(script, server.url("/session"), 500);
  long long_run = run_allocations(script, server.url("/session"), 5500);
  INFO("500 iterations: " << short_run << " allocations, 5500 iterations: " << long_run);
  CHECK(long_run - short_run < 500);
  auto requests = server.requests();
  REQUIRE(requests.size() == 6000);
  CHECK(requests.back().find("\r\nCookie: session=abc123\r\n") != std::string::npos);
}

TEST_CASE("http.batch in steady state allocates nothing per request") {
  if (!LUENG_COUNT_ALLOCATIONS) SUCCEED("allocation counting is off under sanitizers");
  // The batch's requests run at once on exchanges of the VU's one session, each
  // on a kept-alive connection of its own.
  TestServer server(
      [](Peer& peer, int) {
        t_test_server = true;
        while (!peer.read_request().empty())
          peer.send("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
      },
      false, TestServer::Serving::kConcurrently);
  const std::string script =
      "local http = require 'lueng.http'\n"
      "function default()\n"
      "  local res = http.batch({ ENV.URL .. '?i=1', ENV.URL .. '?i=2', ENV.URL .. '?i=3' })\n"
      "  assert(res[1].status == 200 and res[2].status == 200 and res[3].status == 200)\n"
      "end\n";
  // The response pool holds what the collector has yet to clear, about one
  // cycle's worth of responses: the short run is long enough to reach that.
  long short_run = run_allocations(script, server.url("/batch"), 1000, 3);
  long long_run = run_allocations(script, server.url("/batch"), 3000, 3);
  INFO("1000 iterations: " << short_run << " allocations, 3000 iterations: " << long_run);
  // 6000 more requests; a per-request allocation would add at least 6000.
  CHECK(long_run - short_run < 500);
  CHECK(server.accepted() == 6);  // three connections per run, kept for every batch
}

TEST_CASE("failing requests in steady state allocate nothing per request") {
  if (!LUENG_COUNT_ALLOCATIONS) SUCCEED("allocation counting is off under sanitizers");
  // Every response is a 503: each request is counted in the failures table, whose
  // row exists after the first.
  TestServer server([](Peer& peer, int) {
    t_test_server = true;
    while (!peer.read_request().empty())
      peer.send("HTTP/1.1 503 Service Unavailable\r\nContent-Length: 4\r\n\r\nbusy");
  });
  const std::string script =
      "local http = require 'lueng.http'\n"
      "function default()\n"
      "  http.get(ENV.URL, { tags = { endpoint = 'busy' } })\n"
      "end\n";
  long short_run = run_allocations(script, server.url("/busy"), 500);
  long long_run = run_allocations(script, server.url("/busy"), 5500);
  INFO("500 iterations: " << short_run << " allocations, 5500 iterations: " << long_run);
  CHECK(long_run - short_run < 500);
}
