#include <catch2/catch.hpp>

#include "engine/http/error_code.hpp"
#include "engine/http/url.hpp"

using lueng::http::parse_url;
using lueng::http::resolve_reference;
using lueng::http::Url;

TEST_CASE("http URLs split into host, port, target and Host header") {
  auto url = parse_url("http://Example.COM/path/to?q=1&r=2#frag");
  REQUIRE(url);
  CHECK(url->scheme == "http");
  CHECK(url->host == "example.com");
  CHECK(url->port == 80);
  CHECK(url->target == "/path/to?q=1&r=2");
  CHECK(url->host_header == "example.com");
  CHECK(url->authority() == "example.com:80");
  CHECK(url->without_query() == "http://example.com/path/to");
  CHECK_FALSE(url->tls());
}

TEST_CASE("default and explicit ports") {
  CHECK(parse_url("https://api.example.com")->port == 443);
  CHECK(parse_url("https://api.example.com")->tls());
  CHECK(parse_url("HTTPS://api.example.com")->scheme == "https");
  auto url = parse_url("http://localhost:8080/health");
  REQUIRE(url);
  CHECK(url->port == 8080);
  CHECK(url->host_header == "localhost:8080");
  CHECK(url->authority() == "localhost:8080");
  // An explicit default port is not repeated in the Host header.
  CHECK(parse_url("http://localhost:80/")->host_header == "localhost");
  CHECK(parse_url("https://h:443/")->host_header == "h");
  CHECK(parse_url("http://h:/x")->port == 80);
}

TEST_CASE("a missing path becomes / and a bare query keeps its ?") {
  CHECK(parse_url("http://h")->target == "/");
  CHECK(parse_url("http://h:81")->target == "/");
  CHECK(parse_url("http://h?x=1")->target == "/?x=1");
  CHECK(parse_url("http://h#top")->target == "/");
  CHECK(parse_url("http://h?x=1")->without_query() == "http://h/");
}

TEST_CASE("IPv6 literals go in brackets everywhere but Url::host") {
  auto url = parse_url("http://[::1]:8080/a");
  REQUIRE(url);
  CHECK(url->host == "::1");
  CHECK(url->port == 8080);
  CHECK(url->host_header == "[::1]:8080");
  CHECK(url->authority() == "[::1]:8080");
  CHECK(url->without_query() == "http://[::1]:8080/a");
  auto plain = parse_url("http://[2001:DB8::1]");
  REQUIRE(plain);
  CHECK(plain->host == "2001:db8::1");
  CHECK(plain->port == 80);
  CHECK(plain->host_header == "[2001:db8::1]");
}

TEST_CASE("spaces and UTF-8 in the target are percent-encoded") {
  CHECK(parse_url("http://h/search?q=hello world")->target == "/search?q=hello%20world");
  CHECK(parse_url("http://h/caf\xc3\xa9")->target == "/caf%C3%A9");
}

TEST_CASE("bad URLs are rejected with a reason") {
  struct Case {
    const char* text;
    const char* reason;
  };
  for (auto [text, reason] : {
           Case{"", "not an absolute URL"},
           Case{"example.com/path", "not an absolute URL"},
           Case{"/relative", "not an absolute URL"},
           Case{"ftp://example.com/", "unsupported scheme \"ftp\""},
           Case{"ws://example.com/", "unsupported scheme"},
           Case{"http://", "missing host"},
           Case{"http:///path", "missing host"},
           Case{"http://:8080/", "missing host"},
           Case{"http://h:0/", "invalid port"},
           Case{"http://h:65536/", "invalid port"},
           Case{"http://h:80a/", "invalid port"},
           Case{"http://h:-1/", "invalid port"},
           Case{"http://[::1/", "missing ']'"},
           Case{"http://[not-ip]/", "invalid IPv6 address"},
           Case{"http://[::1]x/", "unexpected text after IPv6"},
           Case{"http://::1/", "brackets"},
           Case{"http://user:pa ss@h/", "invalid user name or password"},
           Case{"http://user:%zz@h/", "invalid user name or password"},
           Case{"http://bad host/", "invalid character ' ' in host"},
           Case{"http://h/a\r\nX: y", "control character"},
       }) {
    INFO(text);
    std::string error;
    CHECK_FALSE(parse_url(text, &error).has_value());
    CHECK_THAT(error, Catch::Contains(reason));
  }
}

TEST_CASE("credentials in a URL become Basic authorization, as Go's client sends them") {
  auto url = parse_url("http://Aladdin:open%20sesame@example.com:8080/x");
  REQUIRE(url);
  CHECK(url->host == "example.com");
  CHECK(url->host_header == "example.com:8080");
  CHECK(url->target == "/x");
  CHECK(url->basic_auth == "Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==");       // RFC 7617's example
  CHECK(parse_url("http://user@h/")->basic_auth == "Basic dXNlcjo=");   // "user:"
  CHECK(parse_url("http://a:b@c@h/")->basic_auth == "Basic YTpiQGM=");  // the last '@' ends them
  CHECK(parse_url("http://a:b@c@h/")->host == "h");
  CHECK(parse_url("http://h/")->basic_auth.empty());
  CHECK(parse_url("http://@h/")->basic_auth.empty());
  // Parsing again into the same Url forgets the credentials of the last one.
  Url reused = *parse_url("http://u:p@h/");
  REQUIRE(lueng::http::parse_url_into("http://h/", reused));
  CHECK(reused.basic_auth.empty());
}

TEST_CASE("URLs are printed with their credentials masked, as k6 masks them") {
  using lueng::http::redacted_url;
  CHECK(redacted_url("http://user:secret@h:8080/a?b=c") == "http://****:****@h:8080/a?b=c");
  CHECK(redacted_url("https://token@h/") == "https://****@h/");
  CHECK(redacted_url("http://a:b@c@h/") == "http://****:****@h/");
  CHECK(redacted_url("http://h/path@x") == "http://h/path@x");  // an '@' past the host
  CHECK(redacted_url("http://h/?mail=a@b") == "http://h/?mail=a@b");
  CHECK(redacted_url("http://h/") == "http://h/");
  CHECK(redacted_url("not a url") == "not a url");
  // Not even a URL that fails to parse shows its password.
  std::string error;
  CHECK_FALSE(parse_url("ftp://user:secret@h/", &error));
  CHECK_THAT(error, Catch::Contains("ftp://****:****@h/"));
  CHECK(error.find("secret") == std::string::npos);
  CHECK_FALSE(parse_url("http://user:secret@h:99999/", &error));
  CHECK(error.find("secret") == std::string::npos);
  // A password with an unescaped '/' makes the URL fail; it is masked all the same.
  CHECK_FALSE(parse_url("http://user:se/cret@h/x", &error));
  CHECK_THAT(error, Catch::Contains("\"http://****:****@h/x\""));
  CHECK(error.find("cret") == std::string::npos);
  // Nor line breaks, which would garble a log line.
  CHECK_FALSE(parse_url("http://h/a\r\nX: y", &error));
  CHECK_THAT(error, Catch::Contains("http://h/a\\r\\nX: y"));
}

TEST_CASE("error codes have k6's numbers and stable names") {
  using lueng::http::error_code_name;
  using lueng::http::ErrorCode;
  CHECK(static_cast<int>(ErrorCode::kConnectionRefused) == 1212);
  CHECK(std::string(error_code_name(ErrorCode::kConnectionRefused)) == "connection_refused");
  CHECK(std::string(error_code_name(ErrorCode::kRequestTimeout)) == "request_timeout");
  CHECK(std::string(error_code_name(ErrorCode::kNone)) == "none");
  // k6's lib/netext/httpext/error_codes.go: 1020 invalid URL, 1100 a DNS lookup
  // that failed, 1101 no such host.
  CHECK(static_cast<int>(ErrorCode::kInvalidUrl) == 1020);
  CHECK(static_cast<int>(ErrorCode::kDnsFailed) == 1100);
  CHECK(static_cast<int>(ErrorCode::kDnsNoAddress) == 1101);
  CHECK(std::string(error_code_name(ErrorCode::kDnsNoAddress)) == "dns_no_address");
}

TEST_CASE("redirect locations resolve against the URL they came from") {
  Url base = *parse_url("http://example.com:8080/a/b/c?q=1");
  auto resolve = [&](std::string_view reference) {
    std::string out;
    resolve_reference(base, reference, out);
    return out;
  };
  CHECK(resolve("https://other.org/x") == "https://other.org/x");
  CHECK(resolve("//cdn.example.com/img") == "http://cdn.example.com/img");
  CHECK(resolve("/root?z=2") == "http://example.com:8080/root?z=2");
  CHECK(resolve("d") == "http://example.com:8080/a/b/d");
  CHECK(resolve("../d") == "http://example.com:8080/a/d");
  CHECK(resolve("./d/../e/") == "http://example.com:8080/a/b/e/");
  CHECK(resolve("../../../../x") == "http://example.com:8080/x");
  CHECK(resolve("?page=2") == "http://example.com:8080/a/b/c?page=2");
  CHECK(resolve("d#fragment") == "http://example.com:8080/a/b/d");
  CHECK(resolve("") == "http://example.com:8080/a/b/c?q=1");
}
