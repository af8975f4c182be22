#include <catch2/catch.hpp>

#include <string>

#include "engine/http/cookie_jar.hpp"

using namespace lueng::http;

namespace {

constexpr int64_t kNow = 1'800'000'000;

std::string cookies_for(const CookieJar& jar, const std::string& url, int64_t now = kNow) {
  std::string out;
  jar.for_each_match(*parse_url(url), now, [&](const Cookie& cookie) {
    if (!out.empty()) out += "; ";
    out += cookie.name + "=" + cookie.value;
  });
  return out;
}

}  // namespace

TEST_CASE("Set-Cookie attributes are parsed against the setting URL") {
  Url url = *parse_url("http://shop.example.com/account/login?x=1");
  auto cookie = parse_set_cookie(
      " sid = \"abc\" ; Domain=.Example.COM; Path=/; Secure; HttpOnly; Max-Age=60", url);
  REQUIRE(cookie);
  CHECK(cookie->name == "sid");
  CHECK(cookie->value == "abc");
  CHECK(cookie->domain == "example.com");
  CHECK_FALSE(cookie->host_only);
  CHECK(cookie->path == "/");
  CHECK(cookie->secure);
  CHECK(cookie->http_only);
  CHECK(cookie->max_age == 60);

  auto defaults = parse_set_cookie("a=1", url);
  REQUIRE(defaults);
  CHECK(defaults->domain == "shop.example.com");
  CHECK(defaults->host_only);
  CHECK(defaults->path == "/account");  // the directory of the request path

  CHECK_FALSE(parse_set_cookie("novalue", url));
  CHECK_FALSE(parse_set_cookie("=x", url));
  CHECK_FALSE(parse_set_cookie("a=1; Domain=other.com", url));  // not the server's domain
  CHECK_FALSE(parse_set_cookie("a=1; Domain=ample.com", url));  // suffix, not a parent domain
}

TEST_CASE("a Set-Cookie that could not go back in a Cookie header is ignored, as in Go") {
  Url url = *parse_url("http://example.com/");
  CHECK_FALSE(parse_set_cookie("a b=1", url));  // a space in the name
  CHECK_FALSE(parse_set_cookie("a,b=1", url));
  CHECK_FALSE(parse_set_cookie("sid=1\x01; Path=/", url));  // a control character
  CHECK_FALSE(parse_set_cookie("sid=a\tb", url));
  CHECK_FALSE(parse_set_cookie(std::string("sid=a\0b", 6), url));
  CHECK(parse_set_cookie("sid=a b,c", url));  // what Go keeps: spaces and commas in values
  CookieJar jar;
  jar.store(url, "a b=1", kNow);
  jar.store(url, "ok=1", kNow);
  CHECK(cookies_for(jar, "http://example.com/") == "ok=1");
}

TEST_CASE("HTTP dates in the forms servers send") {
  CHECK(parse_http_date("Wed, 21 Oct 2015 07:28:00 GMT") == 1445412480);
  CHECK(parse_http_date("Wednesday, 21-Oct-15 07:28:00 GMT") == 1445412480);
  CHECK(parse_http_date("Wed Oct 21 07:28:00 2015") == 1445412480);
  CHECK_FALSE(parse_http_date("yesterday"));
  CHECK_FALSE(parse_http_date("Wed, 32 Oct 2015 07:28:00 GMT"));
  CHECK(parse_http_date("Wed, 21 Oct 2015 7:28:0 GMT") == 1445412480);
  CHECK_FALSE(parse_http_date("Wed, 21 Oct 2015 99999999999:28:00 GMT"));
  CHECK_FALSE(parse_http_date("Wed, 21 Oct 2015 07:28 GMT"));
}

TEST_CASE("the jar sends cookies to matching hosts and paths, longest path first") {
  CookieJar jar;
  Url site = *parse_url("http://example.com/app/page");
  jar.store(site, "root=1; Path=/", kNow);
  jar.store(site, "app=2", kNow);  // default path /app
  jar.store(site, "wide=3; Domain=example.com; Path=/", kNow);
  jar.store(*parse_url("https://example.com/"), "safe=4; Secure; Path=/", kNow);

  CHECK(cookies_for(jar, "http://example.com/app/x") == "app=2; root=1; wide=3");
  CHECK(cookies_for(jar, "http://example.com/app") == "app=2; root=1; wide=3");
  CHECK(cookies_for(jar, "http://example.com/apple") == "root=1; wide=3");
  CHECK(cookies_for(jar, "http://api.example.com/") == "wide=3");  // host-only ones stay home
  CHECK(cookies_for(jar, "http://other.com/") == "");
  CHECK(cookies_for(jar, "https://example.com/") == "root=1; wide=3; safe=4");
}

TEST_CASE("a cookie is replaced by name, domain and path, and deleted by its expiry") {
  CookieJar jar;
  Url url = *parse_url("http://h/");
  jar.store(url, "a=1; Path=/", kNow);
  jar.store(url, "a=2; Path=/", kNow);
  CHECK(cookies_for(jar, "http://h/") == "a=2");
  CHECK(jar.cookies().size() == 1);

  jar.store(url, "b=1; Path=/; Max-Age=10", kNow);
  CHECK(cookies_for(jar, "http://h/", kNow + 5) == "a=2; b=1");
  CHECK(cookies_for(jar, "http://h/", kNow + 11) == "a=2");  // expired, no longer sent

  jar.store(url, "a=x; Path=/; Max-Age=0", kNow);
  jar.store(url, "c=1; Path=/; Expires=Wed, 21 Oct 2015 07:28:00 GMT", kNow);  // in the past
  CHECK(cookies_for(jar, "http://h/") == "b=1");
  // Max-Age wins over Expires.
  jar.store(url, "d=1; Path=/; Expires=Wed, 21 Oct 2015 07:28:00 GMT; Max-Age=100", kNow);
  CHECK(cookies_for(jar, "http://h/") == "b=1; d=1");
  jar.clear();
  CHECK(jar.empty());
}

TEST_CASE("erase_matching forgets only what would be sent to the URL") {
  CookieJar jar;
  Url root = *parse_url("http://shop.example.com/");
  jar.store(root, "a=1; Path=/", kNow);
  jar.store(root, "b=2; Path=/cart", kNow);
  jar.store(root, "a=3; Path=/cart", kNow);
  jar.store(*parse_url("http://other.example.com/"), "a=4", kNow);
  CHECK(cookies_for(jar, "http://shop.example.com/cart") == "b=2; a=3; a=1");

  CHECK(jar.erase_matching(*parse_url("http://shop.example.com/cart"), kNow, "a") == 2);
  CHECK(cookies_for(jar, "http://shop.example.com/cart") == "b=2");
  CHECK(cookies_for(jar, "http://other.example.com/") == "a=4");

  jar.store(root, "a=1; Path=/", kNow);
  CHECK(jar.erase_matching(root, kNow) == 1);  // /cart's b is not the root's
  CHECK(cookies_for(jar, "http://shop.example.com/cart") == "b=2");
  CHECK(cookies_for(jar, "http://other.example.com/") == "a=4");
}

TEST_CASE("a Max-Age beyond any clock keeps the cookie for good") {
  Url site = *parse_url("http://example.com/");
  for (const char* header :
       {"a=1; Max-Age=9223372036854775807", "a=1; Max-Age=99999999999999999999999999"}) {
    CookieJar jar;
    jar.store(site, header, kNow);
    CHECK(cookies_for(jar, "http://example.com/", kNow) == "a=1");
    CHECK(cookies_for(jar, "http://example.com/", INT64_MAX - 1) == "a=1");
  }
  CHECK(cookie_expiry(kNow, 60) == kNow + 60);
  CHECK(cookie_expiry(kNow, INT64_MAX) == INT64_MAX);
}
