#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/http/url.hpp"

namespace lueng::http {

// One cookie as a Set-Cookie header describes it (RFC 6265 section 4.1).
struct Cookie {
  std::string name;
  std::string value;
  std::string domain;     // lower-case, no leading dot; the request host when host_only
  std::string path;       // "/" when none applies
  int64_t expires = -1;   // Unix seconds; -1: a session cookie
  int64_t max_age = -1;   // as given (seconds), -1 when absent; 0 or less deletes
  bool host_only = true;  // no Domain attribute: sent to the setting host only
  bool secure = false;
  bool http_only = false;
  std::string expires_text;  // the Expires attribute as sent, for scripts
};

// Parses a Set-Cookie value as sent by `url`'s server; attributes are applied to
// what the URL implies (default domain and path). Nothing for a header without
// name=value or with a Domain the URL's host does not belong to.
std::optional<Cookie> parse_set_cookie(std::string_view header, const Url& url);

// RFC 6265 5.1.3: `host` is `domain` or one of its subdomains (never for IP literals).
bool cookie_domain_matches(const std::string& host, const std::string& domain);
// RFC 6265 5.1.4: the path a cookie set by `url` gets when none is given.
std::string default_cookie_path(const Url& url);

// When a cookie given `max_age` seconds (> 0) at `now` expires: the latest
// representable second when the sum overflows (RFC 6265 5.2.2), as servers and
// scripts may send any number.
int64_t cookie_expiry(int64_t now, int64_t max_age);

// An HTTP-date (RFC 9110 IMF-fixdate and the obsolete forms browsers accept) as
// Unix seconds.
std::optional<int64_t> parse_http_date(std::string_view text);

// A virtual user's cookies: what servers set, sent back to the URLs they match.
// Small by nature (a handful of cookies), so a plain vector searched linearly.
class CookieJar {
 public:
  // Remembers (or, when expired, forgets) the cookie a Set-Cookie header sets.
  void store(const Url& url, std::string_view set_cookie, int64_t now);
  // Adds or replaces the cookie of the same name, domain and path; an expiry at or
  // before `now` deletes it instead.
  void set(Cookie cookie, int64_t now);

  // Calls visit(const Cookie&) for every unexpired cookie to send to `url`, longest
  // path first as RFC 6265 asks. Allocates nothing once the jar has seen its
  // largest match: a VU that sends its session cookie on every request stays on
  // the allocation-free hot path.
  template <typename Visit>
  void for_each_match(const Url& url, int64_t now, Visit&& visit) const {
    find_matches(url, now);
    for (size_t index : matches_) visit(cookies_[index]);
  }

  // Forgets every cookie for_each_match would send to `url`; with a name, only
  // those of that name. Returns how many went.
  size_t erase_matching(const Url& url, int64_t now);
  size_t erase_matching(const Url& url, int64_t now, std::string_view name);

  void clear() { cookies_.clear(); }
  bool empty() const { return cookies_.empty(); }
  const std::vector<Cookie>& cookies() const { return cookies_; }

 private:
  void find_matches(const Url& url, int64_t now) const;

  std::vector<Cookie> cookies_;
  mutable std::vector<size_t> matches_;  // reused by every lookup
};

}  // namespace lueng::http
