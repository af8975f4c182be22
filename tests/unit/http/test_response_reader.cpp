#include <catch2/catch.hpp>

#include <string>

#include <zlib.h>

#include "engine/http/response_reader.hpp"

using lueng::http::ErrorCode;
using lueng::http::ResponseData;
using lueng::http::ResponseReader;
using Result = ResponseReader::Result;

namespace {

// Feeds `wire` in pieces of `step` bytes; returns the result of the last feed.
Result feed_in_steps(ResponseReader& reader, std::string_view wire, size_t step) {
  Result result = Result::kNeedMore;
  for (size_t i = 0; i < wire.size() && result == Result::kNeedMore; i += step) {
    result = reader.feed(wire.data() + i, std::min(step, wire.size() - i));
  }
  return result;
}

}  // namespace

TEST_CASE("a chunked response with trailers parses identically at every split size") {
  // A folded value leaves out the fold's CRLF and keeps the whitespace either side:
  // the same value whether llhttp reads it from a copied head piece or from
  // appended trailer bytes.
  const std::string wire =
      "HTTP/1.1 200 OK\r\n"
      "Content-Type: text/plain \r\n"
      "Transfer-Encoding: chunked\r\n"
      "X-Empty:\r\n"
      "X-Folded: ext=1 \r\n  more\r\n\tend\r\n"
      "\r\n"
      "5\r\nhello\r\n"
      "7;ext=1\r\n, world\r\n"
      "0\r\n"
      "X-Trailer: yes\r\n"
      "X-Folded-Trailer: ext=1 \r\n  more\r\n\tend\r\n"
      "\r\n";
  for (size_t step = 1; step <= wire.size(); ++step) {
    INFO("step " << step);
    ResponseReader reader;
    ResponseData out;
    reader.start(out, false, false);
    REQUIRE(feed_in_steps(reader, wire, step) == Result::kComplete);
    CHECK(out.status == 200);
    CHECK(out.body == "hello, world");
    CHECK(out.header("content-type") == "text/plain");
    CHECK(out.header("X-EMPTY").empty());
    CHECK(out.header_count() == 6);
    CHECK(out.header_name(2) == "X-Empty");
    CHECK(out.header("x-trailer") == "yes");
    CHECK(out.header("x-folded") == "ext=1   more\tend");
    CHECK(out.header("x-folded-trailer") == "ext=1   more\tend");
    CHECK(reader.keep_alive());
    CHECK_FALSE(reader.trailing_bytes());
  }
}

TEST_CASE("interim 100 Continue is skipped, its headers forgotten") {
  ResponseReader reader;
  ResponseData out;
  reader.start(out, false, false);
  std::string wire =
      "HTTP/1.1 100 Continue\r\nX-Interim: 1\r\n\r\n"
      "HTTP/1.1 201 Created\r\nContent-Length: 2\r\n\r\nok";
  REQUIRE(reader.feed(wire.data(), wire.size()) == Result::kComplete);
  CHECK(out.status == 201);
  CHECK(out.body == "ok");
  CHECK(out.header("x-interim").empty());
  CHECK(out.header_count() == 1);
}

TEST_CASE("HEAD, 204 and 304 responses have no body whatever their length says") {
  for (auto [status_line, head] :
       {std::pair{"HTTP/1.1 200 OK", true}, std::pair{"HTTP/1.1 304 Not Modified", false},
        std::pair{"HTTP/1.1 204 No Content", false}}) {
    INFO(status_line);
    ResponseReader reader;
    ResponseData out;
    reader.start(out, head, false);
    std::string wire = std::string(status_line) + "\r\nContent-Length: 100\r\n\r\n";
    REQUIRE(reader.feed(wire.data(), wire.size()) == Result::kComplete);
    CHECK(out.body.empty());
    CHECK(reader.keep_alive());
  }
}

TEST_CASE("keep-alive follows Connection: close and HTTP/1.0") {
  auto keep_alive = [](std::string wire) {
    ResponseReader reader;
    ResponseData out;
    reader.start(out, false, false);
    REQUIRE(reader.feed(wire.data(), wire.size()) == Result::kComplete);
    return reader.keep_alive();
  };
  CHECK(keep_alive("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"));
  CHECK_FALSE(keep_alive("HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 0\r\n\r\n"));
  CHECK_FALSE(keep_alive("HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n"));
  CHECK(keep_alive("HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nContent-Length: 0\r\n\r\n"));
}

TEST_CASE("a body delimited by the end of the connection completes on finish()") {
  ResponseReader reader;
  ResponseData out;
  reader.start(out, false, false);
  std::string wire = "HTTP/1.0 200 OK\r\n\r\nall of it";
  REQUIRE(reader.feed(wire.data(), wire.size()) == Result::kNeedMore);
  CHECK(reader.finish());
  CHECK(out.body == "all of it");
  CHECK(out.http_minor == 0);
  CHECK_FALSE(reader.keep_alive());
}

TEST_CASE("EOF inside a Content-Length body does not complete it") {
  ResponseReader reader;
  ResponseData out;
  reader.start(out, false, false);
  std::string wire = "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc";
  REQUIRE(reader.feed(wire.data(), wire.size()) == Result::kNeedMore);
  CHECK_FALSE(reader.finish());
}

TEST_CASE("bytes after the response are noticed") {
  ResponseReader reader;
  ResponseData out;
  reader.start(out, false, false);
  std::string wire = "HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\nxHTTP/1.1";
  REQUIRE(reader.feed(wire.data(), wire.size()) == Result::kComplete);
  CHECK(out.body == "x");
  CHECK(reader.trailing_bytes());
}

TEST_CASE("the reader is reused for the next response on the connection") {
  ResponseReader reader;
  ResponseData out;
  std::string first = "HTTP/1.1 404 Not Found\r\nContent-Length: 4\r\nA: 1\r\n\r\nnope";
  std::string second = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";
  reader.start(out, false, false);
  REQUIRE(reader.feed(first.data(), first.size()) == Result::kComplete);
  out.clear();
  reader.start(out, false, true);
  REQUIRE(reader.feed(second.data(), second.size()) == Result::kComplete);
  CHECK(out.status == 200);
  CHECK(out.body.empty());
  CHECK(out.body_discarded);
  CHECK(out.header("a").empty());
}

TEST_CASE("a head whose lines end in a bare LF is read as Go's client reads it") {
  // The body holds bare LFs and a CR-LF of its own: they are data, left alone.
  const std::string wire =
      "HTTP/1.1 201 Created\n"
      "Content-Type: text/plain\n"
      "X-Mixed: yes\r\n"
      "Set-Cookie: a=1; Path=/\n"
      "Content-Length: 8\n"
      "\n"
      "a\nb\r\nc\n\n";
  for (size_t step = 1; step <= wire.size(); ++step) {
    INFO("step " << step);
    ResponseReader reader;
    ResponseData out;
    reader.start(out, false, false);
    REQUIRE(feed_in_steps(reader, wire, step) == Result::kComplete);
    CHECK(out.error_code == ErrorCode::kNone);
    CHECK(out.status == 201);
    CHECK(out.header("content-type") == "text/plain");
    CHECK(out.header("x-mixed") == "yes");
    CHECK(out.header("set-cookie") == "a=1; Path=/");
    CHECK(out.header_count() == 4);
    CHECK(out.body == "a\nb\r\nc\n\n");
    CHECK(reader.keep_alive());
    CHECK_FALSE(reader.trailing_bytes());
  }
}

TEST_CASE("bare LFs after a 100 Continue, in a chunked head and before the next response") {
  const std::string wire =
      "HTTP/1.1 100 Continue\n\n"
      "HTTP/1.1 200 OK\nTransfer-Encoding: chunked\n\n"
      "3\r\na\nb\r\n0\r\n\r\n";
  for (size_t step = 1; step <= wire.size(); ++step) {
    INFO("step " << step);
    ResponseReader reader;
    ResponseData out;
    reader.start(out, false, false);
    REQUIRE(feed_in_steps(reader, wire, step) == Result::kComplete);
    CHECK(out.status == 200);
    CHECK(out.body == "a\nb");
    CHECK_FALSE(reader.trailing_bytes());
  }
  // Bytes past a bare-LF response that has no body are noticed as past any other.
  ResponseReader reader;
  ResponseData out;
  reader.start(out, false, false);
  std::string two = "HTTP/1.1 204 No Content\n\nHTTP/1.1 204 No Content\n\n";
  REQUIRE(reader.feed(two.data(), two.size()) == Result::kComplete);
  CHECK(out.status == 204);
  CHECK(reader.trailing_bytes());
  // The next response on the connection is read from its own start.
  out.clear();
  reader.start(out, false, false);
  std::string next = "HTTP/1.1 200 OK\nContent-Length: 2\n\nok";
  REQUIRE(feed_in_steps(reader, next, 7) == Result::kComplete);
  CHECK(out.body == "ok");
}

TEST_CASE("llhttp says where a head ends, whatever the split and the bare LFs") {
  // llhttp ends a head at a CR followed by any byte, not only at a blank line; the
  // next head (after a 1xx) and the body are read from that point at every split,
  // and a body's bare LF is never given a CR.
  const std::string cases[][3] = {
      {"HTTP/1.1 100 Continue\r\n\r%HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nabc", "200", "abc"},
      {"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\rXab\ncd", "200", "ab\ncd"},
      {"HTTP/1.1 200 OK\nContent-Length: 4\n\r!a\nb\n", "200", "a\nb\n"},
  };
  for (const auto& [wire, status, body] : cases) {
    for (size_t step = 1; step <= wire.size(); ++step) {
      INFO(wire << " in steps of " << step);
      ResponseReader reader;
      ResponseData out;
      reader.start(out, false, false);
      REQUIRE(feed_in_steps(reader, wire, step) == Result::kComplete);
      CHECK(std::to_string(out.status) == status);
      CHECK(out.body == body);
      CHECK_FALSE(reader.trailing_bytes());
    }
  }
}

TEST_CASE("a bare-LF head that is the whole read still tells how its body ends") {
  // llhttp pauses at the end of a rewritten head and decides the framing only when
  // it resumes: with nothing after the head, the body runs to EOF all the same.
  for (std::string wire : {"HTTP/1.1 200 OK\nX: y\n\n", "HTTP/1.1 200 OK\nX: y\r\n\r\n"}) {
    INFO(wire);
    ResponseReader reader;
    ResponseData out;
    reader.start(out, false, false);
    REQUIRE(reader.feed(wire.data(), wire.size()) == Result::kNeedMore);
    CHECK(reader.finish());
    CHECK(out.status == 200);
    CHECK(out.body.empty());
  }
  ResponseReader reader;
  ResponseData out;
  reader.start(out, false, false);
  std::string empty = "HTTP/1.1 200 OK\nContent-Length: 0\n\n";
  CHECK(reader.feed(empty.data(), empty.size()) == Result::kComplete);
}

// What llhttp's lenient header mode would have let through with the bare LFs.
TEST_CASE("accepting bare LFs lets nothing else through") {
  struct Case {
    const char* name;
    std::string wire;
  };
  for (const Case& bad : {
           Case{"a bare CR in a value", "HTTP/1.1 200 OK\nX-A: 1\r2\nContent-Length: 0\n\n"},
           Case{"a NUL in a value",
                std::string("HTTP/1.1 200 OK\nX-A: a") + '\0' + "b\nContent-Length: 0\n\n"},
           Case{"a control character in a value",
                "HTTP/1.1 200 OK\nX-A: a\x01b\nContent-Length: 0\n\n"},
           Case{"a space before the colon", "HTTP/1.1 200 OK\nContent-Length : 0\n\n"},
           Case{"a space at the start of the first header",
                "HTTP/1.1 200 OK\n X-A: 1\nContent-Length: 0\n\n"},
           Case{"two lengths that disagree",
                "HTTP/1.1 200 OK\nContent-Length: 1\nContent-Length: 2\n\nab"},
       }) {
    INFO(bad.name);
    ResponseReader reader;
    ResponseData out;
    reader.start(out, false, false);
    CHECK(reader.feed(bad.wire.data(), bad.wire.size()) == Result::kError);
    CHECK(out.error_code == ErrorCode::kMalformedResponse);
  }
}

TEST_CASE("garbage is a malformed response") {
  ResponseReader reader;
  ResponseData out;
  reader.start(out, false, false);
  std::string wire = "SSH-2.0-OpenSSH_9.2\r\n";
  REQUIRE(reader.feed(wire.data(), wire.size()) == Result::kError);
  CHECK(out.error_code == ErrorCode::kMalformedResponse);
  CHECK_THAT(out.error, Catch::StartsWith("malformed HTTP response: "));
}

TEST_CASE("ResponseData::clear keeps capacity") {
  ResponseData out;
  out.body.assign(10000, 'x');
  out.header_bytes.assign(1000, 'h');
  out.headers.resize(50);
  out.status = 200;
  out.error = "e";
  out.clear();
  CHECK(out.body.empty());
  CHECK(out.body.capacity() >= 10000);
  CHECK(out.header_bytes.capacity() >= 1000);
  CHECK(out.headers.capacity() >= 50);
  CHECK(out.status == 0);
  CHECK(out.error.empty());
}

namespace {

std::string gzip_of(const std::string& data) {
  z_stream stream{};
  deflateInit2(&stream, 9, Z_DEFLATED, 15 + 16, 9, Z_DEFAULT_STRATEGY);
  std::string out(deflateBound(&stream, data.size()), '\0');
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  stream.avail_in = static_cast<uInt>(data.size());
  stream.next_out = reinterpret_cast<Bytef*>(out.data());
  stream.avail_out = static_cast<uInt>(out.size());
  deflate(&stream, Z_FINISH);
  out.resize(stream.total_out);
  deflateEnd(&stream);
  return out;
}

std::string gzip_response(const std::string& compressed) {
  return "HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nContent-Length: " +
         std::to_string(compressed.size()) + "\r\n\r\n" + compressed;
}

}  // namespace

TEST_CASE("a kept body may not pass its limit, decoded or not") {
  const std::string bomb = gzip_of(std::string(4 << 20, 'a'));  // 4 MiB in a few KB
  REQUIRE(bomb.size() < 64 * 1024);
  for (size_t step : {size_t{1000}, bomb.size() + 100}) {
    INFO("step " << step);
    ResponseReader reader;
    ResponseData out;
    reader.start(out, false, false, 100'000);
    CHECK(feed_in_steps(reader, gzip_response(bomb), step) == Result::kError);
    CHECK(out.error_code == ErrorCode::kResponseTooLarge);
    CHECK(out.status == 0);
    CHECK(out.body.capacity() < 100'000);  // given back, never grown past the limit + 1
  }

  ResponseReader reader;
  ResponseData out;
  reader.start(out, false, false, 4 << 20);  // exactly the decoded size fits
  CHECK(feed_in_steps(reader, gzip_response(bomb), 512) == Result::kComplete);
  CHECK(out.body.size() == 4u << 20);
  CHECK(out.error_code == ErrorCode::kNone);

  const std::string plain = "HTTP/1.1 200 OK\r\nContent-Length: 11\r\n\r\nhello world";
  out.clear();                          // as Session does before every request
  reader.start(out, false, false, 10);  // refused from the headers
  CHECK(feed_in_steps(reader, plain, 5) == Result::kError);
  CHECK(out.error_code == ErrorCode::kResponseTooLarge);
  out.clear();
  reader.start(out, false, false, 11);
  CHECK(feed_in_steps(reader, plain, 5) == Result::kComplete);
  CHECK(out.body == "hello world");
  out.clear();
  reader.start(out, false, true, 10);  // discarded: counted, not kept, not limited
  CHECK(feed_in_steps(reader, plain, 5) == Result::kComplete);
  CHECK(out.error_code == ErrorCode::kNone);

  const std::string eof_delimited = "HTTP/1.1 200 OK\r\n\r\n0123456789ABC";
  out.clear();
  reader.start(out, false, false, 12);
  CHECK(feed_in_steps(reader, eof_delimited, 4) == Result::kError);
  CHECK(out.error_code == ErrorCode::kResponseTooLarge);
}

TEST_CASE("header names and values survive any split of the head, a 100 Continue and a fold") {
  const std::string wire =
      "HTTP/1.1 100 Continue\r\nX-Interim: a\r\n\r\n"
      "HTTP/1.1 200 OK\r\n"
      "Content-Length: 2\r\n"
      "X-Long-Header-Name: value with spaces  \r\n"
      "X-Folded: one\r\n two\r\n"
      "Empty:\r\n"
      "\r\n"
      "ok";
  for (size_t step = 1; step <= wire.size(); ++step) {
    INFO("step " << step);
    ResponseReader reader;
    ResponseData out;
    reader.start(out, false, false);
    Result result = feed_in_steps(reader, wire, step);
    REQUIRE(result == Result::kComplete);
    CHECK(out.status == 200);
    CHECK(out.body == "ok");
    REQUIRE(out.header_count() == 4);
    CHECK(out.header_name(1) == "X-Long-Header-Name");
    CHECK(out.header_value(1) == "value with spaces");
    CHECK(out.header("x-interim").empty());
    CHECK(out.header_value(2) == "one two");
    CHECK(out.header_name(3) == "Empty");
    CHECK(out.header_value(3).empty());
  }
}
