#include <catch2/catch.hpp>

#include <vector>

#include "engine/http/request_writer.hpp"

using namespace lueng::http;

TEST_CASE("a GET carries Host and User-Agent and no length") {
  Url url = *parse_url("http://example.com:8080/a?b=c");
  Request request;
  request.url = &url;
  std::string out;
  write_request(out, request, "lueng/0.1");
  CHECK(out == "GET /a?b=c HTTP/1.1\r\nHost: example.com:8080\r\nUser-Agent: lueng/0.1\r\n\r\n");
}

TEST_CASE("a POST says its length, even when empty") {
  Url url = *parse_url("http://h/p");
  Request request;
  request.url = &url;
  request.method = "POST";
  std::string out;
  write_request(out, request, "ua");
  CHECK(out == "POST /p HTTP/1.1\r\nHost: h\r\nUser-Agent: ua\r\nContent-Length: 0\r\n\r\n");
  request.body = "{\"a\":1}";
  std::vector<Header> headers{{"Content-Type", "application/json"}};
  request.headers = headers;
  write_request(out, request, "ua");
  CHECK(out ==
        "POST /p HTTP/1.1\r\nHost: h\r\nUser-Agent: ua\r\nContent-Type: application/json\r\n"
        "Content-Length: 7\r\n\r\n{\"a\":1}");
}

TEST_CASE("user Host, User-Agent and Content-Length replace the defaults") {
  Url url = *parse_url("http://h/");
  Request request;
  request.url = &url;
  request.method = "PUT";
  request.body = "xyz";
  std::vector<Header> headers{
      {"host", "virtual.example"}, {"USER-AGENT", "mine"}, {"content-length", "3"}};
  request.headers = headers;
  std::string out;
  write_request(out, request, "default-ua");
  CHECK(out ==
        "PUT / HTTP/1.1\r\nhost: virtual.example\r\nUSER-AGENT: mine\r\ncontent-length: 3\r\n\r\n"
        "xyz");
}

TEST_CASE("an empty configured User-Agent sends none") {
  Url url = *parse_url("http://h/");
  Request request;
  request.url = &url;
  std::string out;
  write_request(out, request, "");
  CHECK(out == "GET / HTTP/1.1\r\nHost: h\r\n\r\n");
}

TEST_CASE("the request buffer keeps its capacity between requests") {
  Url url = *parse_url("http://h/");
  Request request;
  request.url = &url;
  request.method = "POST";
  std::string body(5000, 'b');
  request.body = body;
  std::string out;
  write_request(out, request, "ua");
  const char* storage = out.data();
  request.body = "small";
  write_request(out, request, "ua");
  CHECK(out.data() == storage);
}
