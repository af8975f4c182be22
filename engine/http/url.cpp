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
  if (host.find(':') != std::string::npos) return fmt::format("[{}]:{}", host, port);
  return fmt::format("{}:{}", host, port);
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
    // Never the URL's line breaks as they are: they would garble the log.
    if (error) *error = fmt::format("invalid URL \"{}\": {}", printable(text, 256), reason);
    return false;
  };
  url.scheme.clear();
  url.host.clear();
  url.target.clear();
  url.host_header.clear();

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

  if (authority.find('@') != std::string_view::npos) {
    return fail("credentials in URLs are not supported; send an Authorization header");
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
