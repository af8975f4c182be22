#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace lueng::http {

// An absolute http:// or https:// URL split into the parts a request needs.
struct Url {
  std::string scheme;       // "http" or "https", lower-case
  std::string host;         // without brackets for IPv6 literals
  uint16_t port = 0;        // explicit or the scheme's default
  std::string target;       // path + "?" + query, at least "/"
  std::string host_header;  // "host" or "host:port" when the port is not the default
  // "Basic <base64 of user:password>" for a URL with credentials
  // (http://user:password@host/), as Go's client sends them; empty without.
  std::string basic_auth;

  bool tls() const { return scheme == "https"; }
  // "host:port" ("[::1]:port" for IPv6), the key under which connections are pooled.
  std::string authority() const;
  // The same into `out`, overwritten; its capacity is kept (no allocation once warm).
  void authority_into(std::string& out) const;
  // scheme://host[:port]/path without the query: k6's default name tag.
  std::string without_query() const;
};

// Nothing when the text is not an absolute http(s) URL; error names the reason.
std::optional<Url> parse_url(std::string_view text, std::string* error = nullptr);
// The same, into an existing Url whose buffers are reused (no allocation once warm).
bool parse_url_into(std::string_view text, Url& url, std::string* error = nullptr);

// The URL for printing and storing (errors, tags, res.url): credentials masked
// as k6 masks them, "http://****:****@host/" ("http://****@host/" for a user
// alone); anything else as it was. Works on text that is not a valid URL too.
// `out` is overwritten and keeps its capacity.
void redact_url(std::string_view text, std::string& out);
std::string redacted_url(std::string_view text);

// Resolves a reference (a redirect's Location) against the URL it came from, as
// RFC 3986 section 5.2 does: absolute URLs, "//host/path", "/path", "path",
// "?query". The result is absolute URL text for parse_url_into; `out` is
// overwritten and keeps its capacity.
void resolve_reference(const Url& base, std::string_view reference, std::string& out);

}  // namespace lueng::http
