#include <catch2/catch.hpp>

#include <string>

#include "engine/exec/http_call.hpp"

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

TEST_CASE("url_name is the URL set last without its query or fragment") {
  HttpCall call;
  std::string error;
  REQUIRE(call.set_url("http://a.example/x?q=1#top", &error));
  CHECK(call.url_name() == "http://a.example/x");
  REQUIRE(call.set_url("http://a.example/x?q=1#top", &error));
  CHECK(call.url_name() == "http://a.example/x");
  REQUIRE(call.set_url("http://a.example/y#top", &error));
  CHECK(call.url_name() == "http://a.example/y");
  REQUIRE(call.set_url("http://a.example/z", &error));
  CHECK(call.url_name() == "http://a.example/z");
}
