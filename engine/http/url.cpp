#include "engine/http/url.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <charconv>

#include <fmt/format.h>

#include "engine/http/ascii.hpp"
#include "engine/http/field_syntax.hpp"

namespace lueng::http {

namespace {

uint16_t default_port(std::string_view scheme) {
  return scheme == "https" ? 443 : 80;
}

bool is_host_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '.' || c == '_';
}

bool is_ipv6_literal(std::string_view host) {
  if (host.empty() || host.size() >= INET6_ADDRSTRLEN) return false;
  char text[INET6_ADDRSTRLEN];
  host.copy(text, host.size());
  text[host.size()] = '\0';
  in6_addr address;
  return inet_pton(AF_INET6, text, &address) == 1;
}

std::optional<uint16_t> parse_port(std::string_view text) {
  if (text.empty() || text.size() > 5) return std::nullopt;
  uint32_t value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + static_cast<uint32_t>(c - '0');
  }
  if (value == 0 || value > 65535) return std::nullopt;
  return static_cast<uint16_t>(value);
}

// Scripts build URLs by concatenation ("/search?q=" .. text), so spaces and UTF-8
// are escaped here rather than rejected; control characters would corrupt the
// request line and are refused.
bool append_target(std::string& target, std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  for (char c : text) {
    auto byte = static_cast<unsigned char>(c);
    if (byte < 0x20 || byte == 0x7f) return false;
    if (byte == ' ' || byte >= 0x80) {
      target += '%';
      target += kHex[byte >> 4];
      target += kHex[byte & 0xf];
    } else {
      target += c;
    }
  }
  return true;
}

bool has_scheme(std::string_view reference) {
  size_t colon = reference.find(':');
  if (colon == std::string_view::npos || colon == 0) return false;
  for (size_t i = 0; i < colon; ++i) {
    char c = reference[i];
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
              (i > 0 && ((c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.'));
    if (!ok) return false;
  }
  return true;
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Appends userinfo text percent-decoded, as Go's url.Parse decodes it. False on
// a broken escape or a byte that has no place in a URL.
bool append_decoded(std::string& out, std::string_view text) {
  for (size_t i = 0; i < text.size(); ++i) {
    auto byte = static_cast<unsigned char>(text[i]);
    if (byte <= 0x20 || byte >= 0x7f) return false;
    if (text[i] != '%') {
      out += text[i];
      continue;
    }
    int high = i + 2 < text.size() ? hex_value(text[i + 1]) : -1;
    int low = high >= 0 ? hex_value(text[i + 2]) : -1;
    if (low < 0) return false;
    out += static_cast<char>(high * 16 + low);
    i += 2;
  }
  return true;
}

void append_base64(std::string& out, std::string_view bytes) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  size_t i = 0;
  for (; i + 3 <= bytes.size(); i += 3) {
    uint32_t group = static_cast<uint32_t>(static_cast<unsigned char>(bytes[i])) << 16 |
                     static_cast<uint32_t>(static_cast<unsigned char>(bytes[i + 1])) << 8 |
                     static_cast<unsigned char>(bytes[i + 2]);
    for (int shift = 18; shift >= 0; shift -= 6) out += kAlphabet[(group >> shift) & 63];
  }
  size_t left = bytes.size() - i;
  if (left == 0) return;
  uint32_t group = static_cast<uint32_t>(static_cast<unsigned char>(bytes[i])) << 16;
  if (left == 2) group |= static_cast<uint32_t>(static_cast<unsigned char>(bytes[i + 1])) << 8;
  out += kAlphabet[(group >> 18) & 63];
  out += kAlphabet[(group >> 12) & 63];
  out += left == 2 ? kAlphabet[(group >> 6) & 63] : '=';
  out += '=';
}

// "Basic " and the base64 of "user:password", decoded from the URL's userinfo
// ("user:password" or "user", as Go sends "user:" for the latter). The decoded
// bytes go through a buffer of the thread's: a URL may be parsed per request,
// and that must not allocate once warm.
bool set_basic_auth(Url& url, std::string_view userinfo) {
  thread_local std::string credentials;
  credentials.clear();
  size_t colon = userinfo.find(':');
  if (!append_decoded(credentials, userinfo.substr(0, colon))) return false;
  credentials += ':';
  if (colon != std::string_view::npos && !append_decoded(credentials, userinfo.substr(colon + 1)))
    return false;
  url.basic_auth.assign("Basic ");
  append_base64(url.basic_auth, credentials);
  return true;
}

// The userinfo of URL text as [begin, end) offsets, the '@' at end; false when
// there is none. `delimiters` end the part searched for the '@': "/?#" for the
// authority of a valid URL; "?#" for text that did not parse, where a password
// with an unescaped '/' may have cut the authority short.
bool find_userinfo(std::string_view text, size_t& begin, size_t& end,
                   const char* delimiters = "/?#") {
  size_t separator = text.find("://");
  if (separator == std::string_view::npos) return false;
  begin = separator + 3;
  size_t authority_end = text.find_first_of(delimiters, begin);
  if (authority_end == std::string_view::npos) authority_end = text.size();
  size_t at = text.rfind('@', authority_end - 1);
  if (at == std::string_view::npos || at < begin || at >= authority_end) return false;
  end = at;
  return true;
}

// RFC 3986 5.2.4 on a path that starts with '/', in place.
void remove_dot_segments(std::string& path) {
  std::string out;
  size_t i = 0;
  while (i < path.size()) {
    size_t end = path.find('/', i + 1);
    if (end == std::string::npos) end = path.size();
    std::string_view segment(path.data() + i + 1, end - i - 1);  // after the '/'
    if (segment == ".") {
      if (end == path.size()) out += '/';
    } else if (segment == "..") {
      size_t last = out.rfind('/');
      out.resize(last == std::string::npos ? 0 : last);
      if (end == path.size()) out += '/';
    } else {
      out += '/';
      out.append(segment);
    }
    i = end;
  }
  if (out.empty()) out = "/";
  path = std::move(out);
}

}  // namespace

namespace {

void mask_userinfo(std::string_view text, std::string& out, const char* delimiters) {
  size_t begin = 0, end = 0;
  if (!find_userinfo(text, begin, end, delimiters) || begin == end) {
    out.assign(text);
    return;
  }
  bool password = text.substr(begin, end - begin).find(':') != std::string_view::npos;
  out.assign(text.substr(0, begin));
  out.append(password ? "****:****" : "****");
  out.append(text.substr(end));
}

}  // namespace

void redact_url(std::string_view text, std::string& out) {
  mask_userinfo(text, out, "/?#");
}

std::string redacted_url(std::string_view text) {
  std::string out;
  redact_url(text, out);
  return out;
}

void resolve_reference(const Url& base, std::string_view reference, std::string& out) {
  reference = reference.substr(0, reference.find('#'));
  out.clear();
  if (has_scheme(reference)) {
    out.append(reference);
    return;
  }
  out.append(base.scheme);
  out.append(":");
  if (reference.substr(0, 2) == "//") {
    out.append(reference);
    return;
  }
  out.append("//");
  out.append(base.host_header);
  std::string_view base_target = base.target;
  std::string_view base_path = base_target.substr(0, base_target.find('?'));
  if (reference.empty()) {
    out.append(base_target);
    return;
  }
  if (reference.front() == '?') {
    out.append(base_path);
    out.append(reference);
    return;
  }
  size_t query = reference.find('?');
  std::string path;
  if (reference.front() == '/') {
    path.assign(reference.substr(0, query));
  } else {
    path.assign(base_path.substr(0, base_path.rfind('/') + 1));
    if (path.empty()) path = "/";
    path.append(reference.substr(0, query));
  }
  remove_dot_segments(path);
  out.append(path);
  if (query != std::string_view::npos) out.append(reference.substr(query));
}

std::string Url::authority() const {
  std::string out;
  authority_into(out);
  return out;
}

void Url::authority_into(std::string& out) const {
  out.clear();
  bool ipv6 = host.find(':') != std::string::npos;
  if (ipv6) out += '[';
  out += host;
  if (ipv6) out += ']';
  out += ':';
  char digits[8];
  auto end = std::to_chars(digits, digits + sizeof(digits), port).ptr;
  out.append(digits, end);
}

std::string Url::without_query() const {
  std::string_view path = target;
  path = path.substr(0, path.find('?'));
  return fmt::format("{}://{}{}", scheme, host_header, path);
}

std::optional<Url> parse_url(std::string_view text, std::string* error) {
  Url url;
  if (!parse_url_into(text, url, error)) return std::nullopt;
  return url;
}

bool parse_url_into(std::string_view text, Url& url, std::string* error) {
  auto fail = [&](std::string_view reason) {
    // Never the URL as given: it may carry a password (one with an unescaped '/'
    // is why it failed, so everything up to the last '@' before the query goes),
    // or line breaks that would garble the log.
    if (error) {
      std::string masked;
      mask_userinfo(text, masked, "?#");
      *error = fmt::format("invalid URL \"{}\": {}", printable(masked, 256), reason);
    }
    return false;
  };
  url.scheme.clear();
  url.host.clear();
  url.target.clear();
  url.host_header.clear();
  url.basic_auth.clear();

  size_t separator = text.find("://");
  if (separator == std::string_view::npos) {
    return fail("not an absolute URL (expected http:// or https://)");
  }
  for (char c : text.substr(0, separator)) url.scheme += ascii_lower(c);
  if (url.scheme != "http" && url.scheme != "https") {
    return fail(fmt::format("unsupported scheme \"{}\" (expected http or https)", url.scheme));
  }

  std::string_view rest = text.substr(separator + 3);
  rest = rest.substr(0, rest.find('#'));  // fragments never go on the wire
  size_t authority_end = rest.find_first_of("/?");
  std::string_view authority = rest.substr(0, authority_end);
  std::string_view path_and_query =
      authority_end == std::string_view::npos ? std::string_view{} : rest.substr(authority_end);

  // user:password@ (Go takes the last '@': a password may hold one unescaped).
  if (size_t at = authority.rfind('@'); at != std::string_view::npos) {
    std::string_view userinfo = authority.substr(0, at);
    authority = authority.substr(at + 1);
    if (!userinfo.empty() && !set_basic_auth(url, userinfo))
      return fail("invalid user name or password (escape special characters as %XX)");
  }

  std::string_view host;
  std::string_view port_text;
  bool ipv6 = false;
  if (!authority.empty() && authority.front() == '[') {
    size_t close = authority.find(']');
    if (close == std::string_view::npos) return fail("missing ']' after IPv6 address");
    host = authority.substr(1, close - 1);
    std::string_view after = authority.substr(close + 1);
    if (!after.empty()) {
      if (after.front() != ':') return fail("unexpected text after IPv6 address");
      port_text = after.substr(1);
    }
    if (!is_ipv6_literal(host)) return fail("invalid IPv6 address");
    ipv6 = true;
  } else {
    size_t colon = authority.find(':');
    host = authority.substr(0, colon);
    if (colon != std::string_view::npos) port_text = authority.substr(colon + 1);
    if (port_text.find(':') != std::string_view::npos) {
      return fail("IPv6 addresses must be written in brackets, e.g. http://[::1]:8080/");
    }
    for (char c : host) {
      if (!is_host_char(c))
        return fail(fmt::format("invalid character '{}' in host", printable({&c, 1})));
    }
  }
  if (host.empty()) return fail("missing host");
  for (char c : host) url.host += ascii_lower(c);

  // "http://host:/" means the default port (RFC 3986 allows an empty port).
  url.port = default_port(url.scheme);
  if (!port_text.empty()) {
    auto port = parse_port(port_text);
    if (!port) return fail(fmt::format("invalid port \"{}\"", port_text));
    url.port = *port;
  }

  if (path_and_query.empty() || path_and_query.front() == '?') url.target = "/";
  if (!append_target(url.target, path_and_query)) return fail("control character in path or query");

  // Built in place: this runs for every request and must not allocate once warm.
  if (ipv6) url.host_header += '[';
  url.host_header += url.host;
  if (ipv6) url.host_header += ']';
  if (url.port != default_port(url.scheme)) {
    char digits[8];
    auto end = std::to_chars(digits, digits + sizeof digits, url.port).ptr;
    url.host_header += ':';
    url.host_header.append(digits, end);
  }
  return true;
}

}  // namespace lueng::http
