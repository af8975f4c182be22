// Set-Cookie headers as servers send them, into a VU's cookie jar
// (engine/http/cookie_jar.cpp): attributes, Max-Age and Expires dates included.
// The input is Set-Cookie values, one a line, each from one of a few URLs chosen
// by the input's last bytes, which also give the clock.
//
// Checked besides crashes: a cookie is only ever kept for its server's domain or
// a parent of it, the jar holds one cookie per name, domain and path, and every
// cookie sent to a URL belongs to it.
#include <fuzzer/FuzzedDataProvider.h>

#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

#include "engine/http/cookie_jar.hpp"

using namespace lueng::http;

namespace {

const std::vector<Url>& urls() {
  static const std::vector<Url> list = [] {
    std::vector<Url> out;
    for (const char* text : {"http://example.com/", "https://shop.example.com/cart/items?id=1",
                             "http://127.0.0.1:8080/a/b/c", "https://[::1]/", "http://com/",
                             "http://a.b.c.example.com/x/"})
      out.push_back(*parse_url(text));
    return out;
  }();
  return list;
}

void check_jar(const CookieJar& jar) {
  const auto& cookies = jar.cookies();
  for (size_t i = 0; i < cookies.size(); ++i) {
    if (cookies[i].name.empty() || cookies[i].domain.empty() || cookies[i].path.empty() ||
        cookies[i].path.front() != '/')
      std::abort();
    for (size_t k = i + 1; k < cookies.size(); ++k)
      if (cookies[i].name == cookies[k].name && cookies[i].domain == cookies[k].domain &&
          cookies[i].path == cookies[k].path)
        std::abort();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  FuzzedDataProvider input(data, size);
  int64_t now = input.ConsumeIntegralInRange<int64_t>(0, INT64_MAX);
  uint32_t url_choices = input.ConsumeIntegral<uint32_t>();
  std::string text = input.ConsumeRemainingBytesAsString();

  CookieJar jar;
  size_t start = 0;
  for (int line = 0; start <= text.size(); ++line) {
    size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    std::string_view header(text.data() + start, end - start);
    start = end + 1;
    const Url& url = urls()[(url_choices >> (line % 8 * 4)) % urls().size()];
    if (auto cookie = parse_set_cookie(header, url)) {
      // Its own host or a parent domain of it, nothing else.
      if (!cookie_domain_matches(url.host, cookie->domain)) std::abort();
      if (cookie->host_only && cookie->domain != url.host) std::abort();
    }
    (void)parse_http_date(header);
    jar.store(url, header, now);
    check_jar(jar);
  }

  for (const Url& url : urls()) {
    jar.for_each_match(url, now, [&](const Cookie& cookie) {
      if (cookie.secure && !url.tls()) std::abort();
      if (!cookie_domain_matches(url.host, cookie.domain)) std::abort();
      if (cookie.expires >= 0 && cookie.expires <= now) std::abort();
    });
  }
  if (!jar.empty()) {
    std::string name = jar.cookies().front().name;
    jar.erase_matching(urls()[url_choices % urls().size()], now, name);
    jar.erase_matching(urls()[(url_choices >> 8) % urls().size()], now);
    check_jar(jar);
  }
  return 0;
}
