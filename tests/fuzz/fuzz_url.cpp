// URLs as scripts write them and redirects' Location headers resolve them
// (engine/http/url.cpp). The input is a URL, optionally followed by a newline
// and a reference to resolve against it.
//
// Checked besides crashes: a parsed URL written out again (scheme://Host target)
// parses to the same URL, parsing into a used Url gives what a fresh one gets,
// and a resolved reference that parses does so stably too.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "engine/http/url.hpp"

using lueng::http::parse_url;
using lueng::http::parse_url_into;
using lueng::http::Url;

namespace {

bool same(const Url& a, const Url& b) {
  return a.scheme == b.scheme && a.host == b.host && a.port == b.port && a.target == b.target &&
         a.host_header == b.host_header;
}

void check(const Url& url) {
  if (url.scheme != "http" && url.scheme != "https") std::abort();
  if (url.host.empty() || url.port == 0 || url.target.empty() || url.target.front() != '/')
    std::abort();
  for (char c : url.target)
    if (static_cast<unsigned char>(c) <= ' ' || static_cast<unsigned char>(c) >= 0x7f)
      std::abort();  // the request line must stay one line of visible ASCII
  (void)url.authority();
  (void)url.without_query();
  // The text a request goes out with names the same URL.
  auto again = parse_url(url.scheme + "://" + url.host_header + url.target);
  if (!again || !same(*again, url)) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  size_t newline = input.find('\n');
  std::string_view text = input.substr(0, newline);

  static Url reused;  // as a VU's Url is reused request after request
  std::string error;
  auto url = parse_url(text, &error);
  bool parsed_again = parse_url_into(text, reused);
  if (url.has_value() != parsed_again) std::abort();
  if (!url) {
    if (error.empty()) std::abort();
    return 0;
  }
  check(*url);
  if (!same(*url, reused)) std::abort();

  if (newline == std::string_view::npos) return 0;
  std::string resolved;
  lueng::http::resolve_reference(*url, input.substr(newline + 1), resolved);
  if (auto target = parse_url(resolved)) check(*target);
  return 0;
}
