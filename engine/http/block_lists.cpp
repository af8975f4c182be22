#include "engine/http/block_lists.hpp"

#include <arpa/inet.h>

#include <cstring>

#include "engine/http/ascii.hpp"

namespace lueng::http {

namespace {

bool is_alnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

// One label of k6's hostname pattern: letters, digits and inner hyphens.
bool is_label(std::string_view label) {
  if (label.empty() || !is_alnum(label.front()) || !is_alnum(label.back())) return false;
  for (char c : label)
    if (!is_alnum(c) && c != '-') return false;
  return true;
}

// k6's validHostnamePattern: `^(\*\.?)?((label\.)*label)?$`.
bool is_hostname_pattern(std::string_view pattern) {
  if (pattern.starts_with('*')) {
    pattern.remove_prefix(1);
    if (pattern.starts_with('.')) pattern.remove_prefix(1);
  }
  while (!pattern.empty()) {
    size_t dot = pattern.find('.');
    if (!is_label(pattern.substr(0, dot))) return false;
    if (dot == std::string_view::npos) break;
    pattern.remove_prefix(dot + 1);
    if (pattern.empty()) return false;  // a trailing dot
  }
  return true;
}

bool ends_with_lower(std::string_view text, std::string_view lower_suffix) {
  if (text.size() < lower_suffix.size()) return false;
  text.remove_prefix(text.size() - lower_suffix.size());
  for (size_t i = 0; i < text.size(); ++i)
    if (ascii_lower(text[i]) != lower_suffix[i]) return false;
  return true;
}

bool read_prefix(std::string_view text, int most, int& prefix) {
  if (text.empty()) return false;
  prefix = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return false;
    prefix = prefix * 10 + (c - '0');
    if (prefix > most) return false;
  }
  return true;
}

}  // namespace

std::string parse_cidr(std::string_view text, IpNet& out) {
  std::string problem = "invalid CIDR address: " + std::string(text);
  size_t slash = text.find('/');
  if (slash == std::string_view::npos) return problem;
  std::string ip(text.substr(0, slash));
  out = IpNet{};
  if (inet_pton(AF_INET, ip.c_str(), out.bytes) == 1) {
    out.family = AF_INET;
  } else if (inet_pton(AF_INET6, ip.c_str(), out.bytes) == 1) {
    out.family = AF_INET6;
  } else {
    return problem;
  }
  int bytes = out.family == AF_INET ? 4 : 16;
  if (!read_prefix(text.substr(slash + 1), bytes * 8, out.prefix)) return problem;
  for (int bit = out.prefix; bit < bytes * 8; ++bit)
    out.bytes[bit / 8] &= static_cast<uint8_t>(~(0x80u >> (bit % 8)));
  char printed[INET6_ADDRSTRLEN] = {};
  inet_ntop(out.family, out.bytes, printed, sizeof(printed));
  out.text = std::string(printed) + "/" + std::to_string(out.prefix);
  return "";
}

bool IpNet::contains(const sockaddr* address) const {
  const uint8_t* ip = nullptr;
  int ip_family = address->sa_family;
  if (ip_family == AF_INET) {
    ip = reinterpret_cast<const uint8_t*>(
        &reinterpret_cast<const sockaddr_in*>(address)->sin_addr.s_addr);
  } else if (ip_family == AF_INET6) {
    const in6_addr& v6 = reinterpret_cast<const sockaddr_in6*>(address)->sin6_addr;
    // Go's IPNet.Contains sees an IPv4-mapped address as the IPv4 one.
    bool mapped = IN6_IS_ADDR_V4MAPPED(&v6);
    ip = v6.s6_addr + (mapped ? 12 : 0);
    ip_family = mapped ? AF_INET : AF_INET6;
  }
  if (!ip || ip_family != family) return false;
  int whole = prefix / 8;
  if (std::memcmp(ip, bytes, static_cast<size_t>(whole)) != 0) return false;
  int rest = prefix % 8;
  if (rest == 0) return true;
  auto mask = static_cast<uint8_t>(0xFF00u >> rest);
  return (ip[whole] & mask) == bytes[whole];
}

std::string HostnamePatterns::add(std::string_view pattern) {
  std::string lowered(pattern);
  for (char& c : lowered) c = ascii_lower(c);
  if (!is_hostname_pattern(lowered)) return "invalid hostname pattern '" + lowered + "'";
  (lowered.starts_with('*') ? wildcards_ : exact_).push_back(std::move(lowered));
  return "";
}

const std::string* HostnamePatterns::match(std::string_view host) const {
  for (const std::string& pattern : exact_)
    if (host.size() == pattern.size() && ends_with_lower(host, pattern)) return &pattern;
  const std::string* longest = nullptr;
  for (const std::string& pattern : wildcards_)
    if (ends_with_lower(host, std::string_view(pattern).substr(1)) &&
        (!longest || pattern.size() > longest->size()))
      longest = &pattern;
  return longest;
}

const IpNet* BlockLists::blocked_ip(const sockaddr* address) const {
  for (const IpNet& net : ips)
    if (net.contains(address)) return &net;
  return nullptr;
}

const std::string* BlockLists::blocked_host(const std::string& host) const {
  const std::string* pattern = hosts.match(host);
  if (!pattern) return nullptr;
  in6_addr ip;
  bool literal =
      inet_pton(AF_INET, host.c_str(), &ip) == 1 || inet_pton(AF_INET6, host.c_str(), &ip) == 1;
  return literal ? nullptr : pattern;
}

std::string blacklisted_ip_message(const sockaddr* address, const IpNet& net) {
  // Go's net.IP.String(): an IPv4-mapped IPv6 address prints as the IPv4 one.
  char text[INET6_ADDRSTRLEN] = {};
  if (address->sa_family == AF_INET6) {
    const in6_addr& v6 = reinterpret_cast<const sockaddr_in6*>(address)->sin6_addr;
    if (IN6_IS_ADDR_V4MAPPED(&v6))
      inet_ntop(AF_INET, v6.s6_addr + 12, text, sizeof(text));
    else
      inet_ntop(AF_INET6, &v6, text, sizeof(text));
  } else {
    inet_ntop(AF_INET, &reinterpret_cast<const sockaddr_in*>(address)->sin_addr, text,
              sizeof(text));
  }
  return "IP (" + std::string(text) + ") is in a blacklisted range (" + net.text + ")";
}

std::string blocked_host_message(std::string_view host, std::string_view pattern) {
  return "hostname (" + std::string(host) + ") is in a blocked pattern (" + std::string(pattern) +
         ")";
}

}  // namespace lueng::http
