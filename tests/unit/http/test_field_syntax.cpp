#include <catch2/catch.hpp>

#include "engine/http/field_syntax.hpp"

using namespace lueng::http;

TEST_CASE("methods, header names and cookie names are RFC 7230 tokens") {
  for (const char* token : {"GET", "X-Request-Id", "x_y", "PROPFIND", "!#$%&'*+-.^_`|~09azAZ"}) {
    INFO(token);
    CHECK(is_token(token));
  }
  for (const char* text : {"", "X Token", "X:Y", "GET /x HTTP/1.1", "X-A\r\nX-B", "a\n", "a=b",
                           "a;b", "(x)", "\"q\"", "caf\xc3\xa9"}) {
    INFO(printable(text));
    CHECK_FALSE(is_token(text));
  }
  CHECK_FALSE(is_token(std::string_view("X\0Y", 3)));
}

TEST_CASE("a header value may hold anything printable and tabs, no line breaks or NUL") {
  CHECK(find_invalid_value_byte("Bearer abc.def/ghi=") == std::string_view::npos);
  CHECK(find_invalid_value_byte("a\tb \xc3\xa9") == std::string_view::npos);  // obs-text too
  CHECK(find_invalid_value_byte("") == std::string_view::npos);
  CHECK(find_invalid_value_byte("token\n") == 5);  // a line read from a file
  CHECK(find_invalid_value_byte("a\r\nX-Evil: 1") == 1);
  CHECK(find_invalid_value_byte(std::string_view("a\0b", 3)) == 1);
  CHECK(find_invalid_value_byte("\x1b[31m") == 0);
  CHECK(find_invalid_value_byte("a\x7f") == 1);
}

TEST_CASE("a cookie value holds no semicolon, tab or control character") {
  CHECK(find_invalid_cookie_value_byte("abc%20def=,") == std::string_view::npos);
  CHECK(find_invalid_cookie_value_byte("a;b=c") == 1);
  CHECK(find_invalid_cookie_value_byte("a\tb") == 1);
  CHECK(find_invalid_cookie_value_byte("a\r\n") == 1);
}

TEST_CASE("error messages describe a bad byte without printing it") {
  CHECK(describe_byte('\n') == "a line feed (\\n)");
  CHECK(describe_byte('\r') == "a carriage return (\\r)");
  CHECK(describe_byte('\0') == "a NUL byte");
  CHECK(describe_byte('\x1b') == "the control character 0x1b");
  CHECK(describe_byte(';') == "';'");
  CHECK(printable("GET /x\r\n\0y") == "GET /x\\r\\n");
  CHECK(printable(std::string_view("a\0b\xff", 4)) == "a\\0b\\xff");
  CHECK(printable(std::string(100, 'a'), 4) == "aaaa...");
}
