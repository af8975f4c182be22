// The failures table as the workers fill it: a row per method, endpoint, status
// and error code with its count and first message, bounded, the rest counted.
#include <catch2/catch.hpp>

#include <string>

#include "engine/exec/failure_log.hpp"

using lueng::exec::FailureLog;
using lueng::result::FailureCount;
using lueng::result::kMaxFailureRows;

TEST_CASE("failures are counted per endpoint, status and code with their first message") {
  FailureLog log;
  for (int i = 0; i < 3; ++i)
    log.record("GET", "/a", 0, 1212, "connection refused #" + std::to_string(i));
  log.record("GET", "/a", 503, 0, "");
  log.record("POST", "/a", 503, 0, "");
  log.record("POST", "/a", 503, 0, "");
  auto rows = log.rows();
  REQUIRE(rows.size() == 3);
  CHECK(rows[0] == FailureCount{"GET", "/a", 0, 1212, "connection refused #0", 3});
  CHECK(rows[1] == FailureCount{"POST", "/a", 503, 0, "HTTP 503", 2});
  CHECK(rows[2] == FailureCount{"GET", "/a", 503, 0, "HTTP 503", 1});
  CHECK(log.unlisted() == 0);
}

TEST_CASE("past the bound, new combinations are only counted, known ones still are") {
  FailureLog log;
  for (size_t i = 0; i < kMaxFailureRows + 50; ++i)
    log.record("GET", "/id/" + std::to_string(i), 404, 0, "");
  log.record("GET", "/id/0", 404, 0, "");
  auto rows = log.rows();
  REQUIRE(rows.size() == kMaxFailureRows);
  CHECK(rows[0].endpoint == "/id/0");
  CHECK(rows[0].count == 2);
  CHECK(log.unlisted() == 50);
}
