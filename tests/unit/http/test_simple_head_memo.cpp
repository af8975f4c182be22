#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "engine/http/response_reader.hpp"
#include "engine/http/simple_head.hpp"
#include "engine/http/simple_head_memo.hpp"

using lueng::http::read_simple_head;
using lueng::http::ResponseData;
using lueng::http::ResponseReader;
using lueng::http::SimpleHead;
using lueng::http::SimpleHeadMemo;

namespace {

std::string head_with_length(const std::string& digits) {
  return "HTTP/1.1 200 OK\r\nServer: hotel-mock\r\nContent-Type: application/json\r\n"
         "Content-Length:  " +
         digits + " \r\nX-After: \tv\r\nConnection: keep-alive\r\n\r\n";
}

// The memo's answer for `wire`, which must be read_simple_head()'s.
bool read_as_parsed(SimpleHeadMemo& memo, const std::string& wire, SimpleHead& head) {
  std::vector<ResponseData::HeaderRef> recalled, parsed;
  SimpleHead parsed_head;
  bool read = memo.read(wire.data(), wire.size(), recalled, head);
  REQUIRE(read == read_simple_head(wire.data(), wire.size(), parsed, parsed_head));
  if (read) {
    CHECK(recalled == parsed);
    CHECK(head == parsed_head);
  } else {
    CHECK(recalled.empty());
  }
  return read;
}

}  // namespace

TEST_CASE("the memo answers a repeated head as read_simple_head does, without reading it") {
  SimpleHeadMemo memo;
  SimpleHead head;
  std::string wire = head_with_length("15") + "{\"status\":\"ok\"}";
  REQUIRE(read_as_parsed(memo, wire, head));
  CHECK(memo.recalls() == 0);
  REQUIRE(read_as_parsed(memo, wire, head));
  CHECK(memo.recalls() == 1);
  CHECK(head.content_length == 15);
  // The head alone, without its body, is the same head.
  REQUIRE(read_as_parsed(memo, head_with_length("15"), head));
  CHECK(memo.recalls() == 2);
}

TEST_CASE("the memo answers a head that differs in its Content-Length digits") {
  SimpleHeadMemo memo;
  SimpleHead head;
  REQUIRE(read_as_parsed(memo, head_with_length("15"), head));
  uint64_t recalls = 0;
  // Fewer, more and leading-zero digits move the headers after them.
  for (std::string digits : {"7", "1234", "0015", "999999999999999999", "15"}) {
    INFO(digits);
    REQUIRE(read_as_parsed(memo, head_with_length(digits) + "body", head));
    CHECK(memo.recalls() == ++recalls);
    CHECK(head.content_length == std::stoull(digits));
    CHECK(head.length == head_with_length(digits).size());
  }
}

TEST_CASE("the memo refuses what read_simple_head refuses, and keeps what it knew") {
  SimpleHeadMemo memo;
  SimpleHead head;
  REQUIRE(read_as_parsed(memo, head_with_length("15"), head));
  // 19 digits, none, a sign, a tab after them: llhttp's to judge.
  for (std::string digits : {"1234567890123456789", "", "+15", "15\t"}) {
    INFO(digits);
    CHECK_FALSE(read_as_parsed(memo, head_with_length(digits), head));
  }
  // A head cut short by the end of the read.
  std::string whole = head_with_length("15");
  CHECK_FALSE(read_as_parsed(memo, whole.substr(0, whole.size() - 1), head));
  CHECK(memo.recalls() == 0);
  REQUIRE(read_as_parsed(memo, whole, head));
  CHECK(memo.recalls() == 1);
}

TEST_CASE("the memo keeps the last head it read, and none too large for it") {
  SimpleHeadMemo memo;
  SimpleHead head;
  std::string first = head_with_length("15");
  std::string other = "HTTP/1.1 404 Not Found\r\nContent-Length: 3\r\n\r\nnop";
  REQUIRE(read_as_parsed(memo, first, head));
  REQUIRE(read_as_parsed(memo, other, head));
  CHECK(head.status == 404);
  REQUIRE(read_as_parsed(memo, other, head));
  CHECK(memo.recalls() == 1);
  REQUIRE(read_as_parsed(memo, first, head));
  CHECK(memo.recalls() == 1);  // replaced by the 404

  std::string large = "HTTP/1.1 200 OK\r\nX-Long: " + std::string(SimpleHeadMemo::kMaxBytes, 'a') +
                      "\r\nContent-Length: 0\r\n\r\n";
  REQUIRE(read_as_parsed(memo, large, head));
  REQUIRE(read_as_parsed(memo, large, head));
  CHECK(memo.recalls() == 1);

  std::string many = "HTTP/1.1 200 OK\r\n";
  for (size_t i = 0; i <= SimpleHeadMemo::kMaxHeaders; ++i)
    many += "X-" + std::to_string(i) + ": v\r\n";
  many += "Content-Length: 0\r\n\r\n";
  REQUIRE(read_as_parsed(memo, many, head));
  REQUIRE(read_as_parsed(memo, many, head));
  CHECK(memo.recalls() == 1);

  memo.forget();
  REQUIRE(read_as_parsed(memo, first, head));
  CHECK(memo.recalls() == 1);
}

TEST_CASE("a reader's responses with repeated heads keep their own headers and bodies") {
  // The reader's memo is its thread's: the second and third heads come from it.
  SimpleHeadMemo& memo = SimpleHeadMemo::for_this_thread();
  memo.forget();
  ResponseReader reader;
  uint64_t recalls = memo.recalls();
  for (std::string body : {"{\"a\":1}", "{\"a\":1}", "{\"items\":[1,2,3,4,5,6,7,8,9]}"}) {
    INFO(body);
    ResponseData out;
    out.header_bytes = "earlier";  // a head is appended to what the response holds
    reader.start(out, false, false);
    std::string wire = head_with_length(std::to_string(body.size())) + body;
    REQUIRE(reader.feed(wire.data(), wire.size()) == ResponseReader::Result::kComplete);
    CHECK(out.status == 200);
    CHECK(out.body == body);
    CHECK(out.header("content-length") == std::to_string(body.size()));
    CHECK(out.header("x-after") == "v");
    CHECK(out.header("connection") == "keep-alive");
    CHECK(reader.keep_alive());
  }
  CHECK(memo.recalls() == recalls + 2);
}
