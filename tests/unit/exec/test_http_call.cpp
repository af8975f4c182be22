#include <catch2/catch.hpp>

#include <string>

#include "engine/exec/http_call.hpp"

using lueng::exec::ExpectedStatuses;
using lueng::exec::HttpCall;

TEST_CASE("set_url parses a new URL and keeps it while the text is unchanged") {
  HttpCall call;
  std::string error;
  REQUIRE(call.set_url("http://a.example:8080/x?q=1", &error));
  CHECK(call.url.host == "a.example");
  CHECK(call.url.port == 8080);
  CHECK(call.url.target == "/x?q=1");

  REQUIRE(call.set_url("http://a.example:8080/x?q=1", &error));
  CHECK(call.url_text == "http://a.example:8080/x?q=1");
  CHECK(call.url.target == "/x?q=1");

  // Any change, even one past a shared prefix, is parsed again.
  REQUIRE(call.set_url("http://a.example:8080/x?q=2", &error));
  CHECK(call.url.target == "/x?q=2");
  REQUIRE(call.set_url("http://b.example/", &error));
  CHECK(call.url.host == "b.example");
  CHECK(call.url.port == 80);
  CHECK(call.url_text == "http://b.example/");
}

TEST_CASE("set_url reports an invalid URL every time it is sent") {
  HttpCall call;
  std::string error;
  REQUIRE(call.set_url("http://a.example/", &error));
  CHECK_FALSE(call.set_url("ftp://a.example/", &error));
  CHECK(error.find("unsupported scheme") != std::string::npos);
  error.clear();
  CHECK_FALSE(call.set_url("ftp://a.example/", &error));
  CHECK(error.find("unsupported scheme") != std::string::npos);
  // Back to the valid URL it had before the failure.
  REQUIRE(call.set_url("http://a.example/", &error));
  CHECK(call.url.host == "a.example");
  CHECK(call.url.target == "/");
}

TEST_CASE("url_name is the URL set last, query kept and credentials masked, as k6's name tag") {
  HttpCall call;
  std::string error;
  REQUIRE(call.set_url("http://a.example/x?q=1#top", &error));
  CHECK(call.url_name() == "http://a.example/x?q=1#top");
  REQUIRE(call.set_url("http://a.example/x?q=1#top", &error));
  CHECK(call.url_name() == "http://a.example/x?q=1#top");
  REQUIRE(call.set_url("http://u:secret@a.example/y?q=2", &error));
  CHECK(call.url_name() == "http://****:****@a.example/y?q=2");
  REQUIRE(call.set_url("http://a.example/z", &error));
  CHECK(call.url_name() == "http://a.example/z");
}

TEST_CASE("expects: k6's 200-399 by default, the script's expected statuses otherwise") {
  HttpCall call;
  CHECK(call.expects(200));
  CHECK(call.expects(399));
  CHECK_FALSE(call.expects(400));
  CHECK_FALSE(call.expects(0));
  ExpectedStatuses statuses;
  statuses.ranges = {{409, 409}, {200, 204}};
  call.expected = &statuses;
  CHECK(call.expects(409));
  CHECK(call.expects(204));
  CHECK_FALSE(call.expects(301));
  call.reset();
  CHECK(call.expected == nullptr);
  CHECK(call.response_callback);
}
