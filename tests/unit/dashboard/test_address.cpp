#include <catch2/catch.hpp>

#include <string>

#include "engine/dashboard/server.hpp"

using namespace lueng::dashboard;

namespace {
std::string parsed(const std::string& text) {
  std::string host;
  int port = -1;
  std::string problem = parse_address(text, &host, &port);
  return problem.empty() ? host + " " + std::to_string(port) : "error: " + problem;
}
}  // namespace

TEST_CASE("dashboard addresses: HOST:PORT with defaults for what is missing") {
  CHECK(parsed("") == "127.0.0.1 5665");
  CHECK(parsed(":0") == "127.0.0.1 0");
  CHECK(parsed("0.0.0.0:8080") == "0.0.0.0 8080");
  CHECK(parsed("127.0.0.2") == "127.0.0.2 5665");
  CHECK(parsed("localhost:7000") == "127.0.0.1 7000");
  CHECK(parsed("[::1]:6000") == "::1 6000");
  CHECK(parsed("[::1]") == "::1 5665");
  CHECK(parsed("example.com:80").find("is not an IP address") != std::string::npos);
  CHECK(parsed("127.0.0.1:99999").find("is not a port") != std::string::npos);
  CHECK(parsed("127.0.0.1:x").find("is not a port") != std::string::npos);
  CHECK(parsed("127.0.0.1:").find("the port is missing") != std::string::npos);
  CHECK(parsed("::1:80").find("in brackets") != std::string::npos);
  CHECK(parsed("[::1").find("ends with ']'") != std::string::npos);
}

TEST_CASE("Host headers the server answers: an IP address or localhost") {
  CHECK(is_address_host(""));
  CHECK(is_address_host("127.0.0.1:5665"));
  CHECK(is_address_host("127.0.0.1"));
  CHECK(is_address_host("localhost:5665"));
  CHECK(is_address_host("[::1]:5665"));
  CHECK(is_address_host("192.168.1.20:5665"));
  CHECK_FALSE(is_address_host("attacker.example:5665"));
  CHECK_FALSE(is_address_host("localhost.attacker.example"));
  CHECK_FALSE(is_address_host("[::1"));
  CHECK_FALSE(is_address_host("[::1]x"));
}

TEST_CASE("loopback addresses") {
  CHECK(is_loopback("127.0.0.1"));
  CHECK(is_loopback("127.1.2.3"));
  CHECK(is_loopback("::1"));
  CHECK(is_loopback("::ffff:127.0.0.1"));
  CHECK_FALSE(is_loopback("0.0.0.0"));
  CHECK_FALSE(is_loopback("::"));
  CHECK_FALSE(is_loopback("10.0.0.1"));
}
