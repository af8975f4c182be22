#include "engine/http/cookie_jar.hpp"

#include <arpa/inet.h>

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <ctime>

#include "engine/common/text.hpp"
#include "engine/http/ascii.hpp"
#include "engine/http/field_syntax.hpp"

namespace lueng::http {

namespace {

std::string lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = ascii_lower(c);
  return out;
}

bool is_ip_literal(const std::string& host) {
  unsigned char buffer[sizeof(in6_addr)];
  return inet_pton(AF_INET, host.c_str(), buffer) == 1 ||
         inet_pton(AF_INET6, host.c_str(), buffer) == 1;
}

std::string_view request_path(const Url& url) {
  std::string_view target = url.target;
  return target.substr(0, target.find('?'));
}

}  // namespace

bool cookie_domain_matches(const std::string& host, const std::string& domain) {
  if (host == domain) return true;
  if (host.size() <= domain.size() || is_ip_literal(host)) return false;
  return host.compare(host.size() - domain.size(), domain.size(), domain) == 0 &&
         host[host.size() - domain.size() - 1] == '.';
}

std::string default_cookie_path(const Url& url) {
  std::string_view path = request_path(url);
  if (path.empty() || path.front() != '/') return "/";
  size_t last = path.rfind('/');
  if (last == 0) return "/";
  return std::string(path.substr(0, last));
}

namespace {

bool path_matches(std::string_view request, const std::string& cookie_path) {
  if (request == cookie_path) return true;
  if (request.substr(0, cookie_path.size()) != cookie_path) return false;
  return cookie_path.back() == '/' || request[cookie_path.size()] == '/';
}

int month_index(std::string_view name) {
  static constexpr std::string_view kMonths[] = {"jan", "feb", "mar", "apr", "may", "jun",
                                                 "jul", "aug", "sep", "oct", "nov", "dec"};
  if (name.size() < 3) return -1;
  for (int i = 0; i < 12; ++i) {
    if (ascii_iequals(name.substr(0, 3), kMonths[i])) return i;
  }
  return -1;
}

}  // namespace

int64_t cookie_expiry(int64_t now, int64_t max_age) {
  return max_age > INT64_MAX - now ? INT64_MAX : now + max_age;
}

std::optional<int64_t> parse_http_date(std::string_view text) {
  // RFC 6265 5.1.1's tolerant algorithm: find a time, a day, a month and a year
  // among the tokens, in any order ("Wed, 21 Oct 2015 07:28:00 GMT",
  // "Wednesday, 21-Oct-15 07:28:00 GMT", "Wed Oct 21 07:28:00 2015").
  int day = -1, month = -1, year = -1, hour = -1, minute = -1, second = -1;
  size_t i = 0;
  auto delimiter = [](char c) {
    return c == ' ' || c == '\t' || c == ',' || c == '-' || c == '/' || c == ';';
  };
  while (i < text.size()) {
    while (i < text.size() && delimiter(text[i])) ++i;
    size_t start = i;
    while (i < text.size() && !delimiter(text[i])) ++i;
    std::string_view token = text.substr(start, i - start);
    if (token.empty()) continue;
    int a = 0, b = 0, c = 0;
    if (hour < 0 && token.find(':') != std::string_view::npos) {
      // h:m:s; from_chars, not sscanf's %d, whose overflow on a server's digits is undefined.
      const char* at = token.data();
      const char* end = token.data() + token.size();
      auto field = [&](int& out, bool last) {
        auto [next, error] = std::from_chars(at, end, out);
        if (error != std::errc() || (!last && (next == end || *next != ':'))) return false;
        at = last ? next : next + 1;
        return true;
      };
      if (field(a, false) && field(b, false) && field(c, true)) hour = a, minute = b, second = c;
      continue;
    }
    bool digits =
        std::all_of(token.begin(), token.end(), [](char ch) { return ch >= '0' && ch <= '9'; });
    if (digits) {
      std::from_chars(token.data(), token.data() + token.size(), a);
      if (day < 0 && token.size() <= 2) {
        day = a;
      } else if (year < 0 && token.size() >= 2) {
        year = a;
      }
      continue;
    }
    if (month < 0) month = month_index(token);
  }
  if (year >= 70 && year <= 99) year += 1900;
  if (year >= 0 && year <= 69) year += 2000;
  if (day < 1 || day > 31 || month < 0 || year < 1601 || hour < 0 || hour > 23 || minute < 0 ||
      minute > 59 || second < 0 || second > 59)
    return std::nullopt;
  std::tm tm{};
  tm.tm_year = year - 1900;
  tm.tm_mon = month;
  tm.tm_mday = day;
  tm.tm_hour = hour;
  tm.tm_min = minute;
  tm.tm_sec = second;
  return static_cast<int64_t>(timegm(&tm));
}

std::optional<Cookie> parse_set_cookie(std::string_view header, const Url& url) {
  size_t end = header.find(';');
  std::string_view pair = header.substr(0, end);
  size_t equals = pair.find('=');
  if (equals == std::string_view::npos) return std::nullopt;
  Cookie cookie;
  cookie.name = trim_blanks(pair.substr(0, equals));
  if (cookie.name.empty()) return std::nullopt;
  std::string_view value = trim_blanks(pair.substr(equals + 1));
  if (value.size() >= 2 && value.front() == '"' && value.back() == '"')
    value = value.substr(1, value.size() - 2);
  // As Go's client: a cookie whose name or value could not go back in a Cookie
  // header as it is (a space or '=' in the name, a control character) is ignored.
  if (!is_token(cookie.name) || find_invalid_cookie_value_byte(value) != std::string_view::npos)
    return std::nullopt;
  cookie.value = value;
  cookie.domain = url.host;
  cookie.path = default_cookie_path(url);

  std::string_view attributes = end == std::string_view::npos ? "" : header.substr(end + 1);
  while (!attributes.empty()) {
    size_t next = attributes.find(';');
    std::string_view attribute = attributes.substr(0, next);
    attributes = next == std::string_view::npos ? "" : attributes.substr(next + 1);
    size_t eq = attribute.find('=');
    std::string_view name = trim_blanks(attribute.substr(0, eq));
    std::string_view argument =
        eq == std::string_view::npos ? "" : trim_blanks(attribute.substr(eq + 1));
    if (ascii_iequals(name, "Domain")) {
      if (!argument.empty() && argument.front() == '.') argument.remove_prefix(1);
      if (argument.empty()) continue;
      std::string domain = lower(argument);
      // A server may only set cookies for its own domain or a parent of it.
      if (!cookie_domain_matches(url.host, domain)) return std::nullopt;
      cookie.domain = std::move(domain);
      cookie.host_only = false;
    } else if (ascii_iequals(name, "Path")) {
      if (!argument.empty() && argument.front() == '/') cookie.path = argument;
    } else if (ascii_iequals(name, "Max-Age")) {
      int64_t seconds = 0;
      bool negative = !argument.empty() && argument.front() == '-';
      std::string_view digits = negative ? argument.substr(1) : argument;
      auto [ptr, error] = std::from_chars(digits.data(), digits.data() + digits.size(), seconds);
      // More digits than int64_t holds is a lifetime longer than any clock's.
      if (error == std::errc::result_out_of_range) seconds = INT64_MAX;
      if (error != std::errc::invalid_argument && ptr == digits.data() + digits.size() &&
          !digits.empty())
        cookie.max_age = negative ? 0 : seconds;
    } else if (ascii_iequals(name, "Expires")) {
      cookie.expires_text = argument;
      if (auto when = parse_http_date(argument)) cookie.expires = *when;
    } else if (ascii_iequals(name, "Secure")) {
      cookie.secure = true;
    } else if (ascii_iequals(name, "HttpOnly")) {
      cookie.http_only = true;
    }
  }
  return cookie;
}

void CookieJar::store(const Url& url, std::string_view set_cookie, int64_t now) {
  std::optional<Cookie> cookie = parse_set_cookie(set_cookie, url);
  if (!cookie) return;
  // Max-Age wins over Expires (RFC 6265 5.3 step 3).
  if (cookie->max_age >= 0)
    cookie->expires = cookie->max_age <= 0 ? 0 : cookie_expiry(now, cookie->max_age);
  set(std::move(*cookie), now);
}

void CookieJar::set(Cookie cookie, int64_t now) {
  auto same = std::find_if(cookies_.begin(), cookies_.end(), [&](const Cookie& existing) {
    return existing.name == cookie.name && existing.domain == cookie.domain &&
           existing.path == cookie.path;
  });
  // An expiry in the past is how servers delete a cookie.
  bool deleting = cookie.expires >= 0 && cookie.expires <= now;
  if (same != cookies_.end()) {
    if (deleting) {
      cookies_.erase(same);
    } else {
      *same = std::move(cookie);
    }
  } else if (!deleting) {
    cookies_.push_back(std::move(cookie));
  }
}

size_t CookieJar::erase_matching(const Url& url, int64_t now) {
  find_matches(url, now);
  size_t erased = matches_.size();
  // Highest index first, so the indices still to erase stay valid.
  std::sort(matches_.begin(), matches_.end());
  for (auto index = matches_.rbegin(); index != matches_.rend(); ++index)
    cookies_.erase(cookies_.begin() + static_cast<std::ptrdiff_t>(*index));
  matches_.clear();
  return erased;
}

size_t CookieJar::erase_matching(const Url& url, int64_t now, std::string_view name) {
  find_matches(url, now);
  std::sort(matches_.begin(), matches_.end());
  size_t erased = 0;
  for (auto index = matches_.rbegin(); index != matches_.rend(); ++index) {
    if (cookies_[*index].name != name) continue;
    cookies_.erase(cookies_.begin() + static_cast<std::ptrdiff_t>(*index));
    ++erased;
  }
  matches_.clear();
  return erased;
}

void CookieJar::find_matches(const Url& url, int64_t now) const {
  matches_.clear();
  std::string_view path = request_path(url);
  for (size_t i = 0; i < cookies_.size(); ++i) {
    const Cookie& cookie = cookies_[i];
    if (cookie.expires >= 0 && cookie.expires <= now) continue;
    if (cookie.secure && !url.tls()) continue;
    bool host_ok = cookie.host_only ? url.host == cookie.domain
                                    : cookie_domain_matches(url.host, cookie.domain);
    if (!host_ok || !path_matches(path, cookie.path)) continue;
    // Insertion by path length, longest first, keeping the order of equals:
    // a jar holds a handful of cookies, and std::stable_sort may allocate.
    size_t at = matches_.size();
    matches_.push_back(i);
    while (at > 0 && cookies_[matches_[at - 1]].path.size() < cookie.path.size()) {
      matches_[at] = matches_[at - 1];
      --at;
    }
    matches_[at] = i;
  }
}

}  // namespace lueng::http
