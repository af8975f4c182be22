#include <catch2/catch.hpp>

#include <string>

#include "engine/dashboard/request_head.hpp"

using lueng::dashboard::RequestHead;

TEST_CASE("a request head split anywhere gives its method and target") {
  std::string request =
      "GET /events?x=1 HTTP/1.1\r\nX-Host: no\r\nHOST: 127.0.0.1:5665\r\nAccept: */*\r\n\r\n";
  for (size_t split = 0; split <= request.size(); ++split) {
    RequestHead head;
    auto first = head.feed(request.data(), split);
    auto second = head.feed(request.data() + split, request.size() - split);
    CHECK((first == RequestHead::Result::kNeedMore || split == request.size()));
    REQUIRE(second == RequestHead::Result::kComplete);
    CHECK(head.method() == "GET");
    CHECK(head.target() == "/events?x=1");
    CHECK(head.host() == "127.0.0.1:5665");
  }
}

TEST_CASE("what follows a complete head is not read") {
  RequestHead head;
  std::string request = "POST / HTTP/1.1\r\nContent-Length: 5\r\n\r\nhello GARBAGE";
  REQUIRE(head.feed(request.data(), request.size()) == RequestHead::Result::kComplete);
  CHECK(head.method() == "POST");
  CHECK(head.feed("\x01\x02", 2) == RequestHead::Result::kComplete);
}

TEST_CASE("garbage is a 400 and stays an error") {
  RequestHead head;
  std::string garbage = "\x16\x03\x01\x02\x00 not http at all\r\n\r\n";
  REQUIRE(head.feed(garbage.data(), garbage.size()) == RequestHead::Result::kError);
  CHECK(head.error_status() == 400);
  CHECK(head.error_message().find("malformed HTTP request") == 0);
  CHECK(head.feed("GET / HTTP/1.1\r\n\r\n", 18) == RequestHead::Result::kError);
}

TEST_CASE("a head larger than 8 KiB is a 431") {
  RequestHead head;
  std::string start = "GET / HTTP/1.1\r\nX-Long: ";
  REQUIRE(head.feed(start.data(), start.size()) == RequestHead::Result::kNeedMore);
  std::string chunk(1024, 'a');
  RequestHead::Result result = RequestHead::Result::kNeedMore;
  for (int i = 0; i < 16 && result == RequestHead::Result::kNeedMore; ++i)
    result = head.feed(chunk.data(), chunk.size());
  REQUIRE(result == RequestHead::Result::kError);
  CHECK(head.error_status() == 431);
}
