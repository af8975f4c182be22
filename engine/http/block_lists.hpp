#pragma once

#include <netinet/in.h>
#include <sys/socket.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace lueng::http {

// One CIDR range of k6's blacklistIPs ("10.0.0.0/8", "fd00::/16").
struct IpNet {
  int family = AF_INET;  // AF_INET or AF_INET6
  uint8_t bytes[16] = {};
  int prefix = 0;
  std::string text;  // as Go prints it: the network address masked, "10.0.0.0/8"

  // Whether `address` (IPv4, IPv6, or IPv4 mapped in IPv6) lies in the range.
  bool contains(const sockaddr* address) const;
};

// Go's net.ParseCIDR: "" with `out` set, or Go's words ("invalid CIDR address: x").
std::string parse_cidr(std::string_view text, IpNet& out);

// k6's blockHostnames (lib/types/hostnametrie.go): host names, case-insensitive,
// each with an optional leading `*` that stands for any text, none included
// ("*example.com" blocks example.com and www.example.com).
class HostnamePatterns {
 public:
  // "" with `pattern` added, or k6's words ("invalid hostname pattern 'a*b'").
  std::string add(std::string_view pattern);

  // The pattern that blocks `host` (lower-cased, as k6 reports it), or null. An
  // exact pattern wins over wildcards, and the longest wildcard over shorter ones.
  const std::string* match(std::string_view host) const;

  bool empty() const { return exact_.empty() && wildcards_.empty(); }

 private:
  std::vector<std::string> exact_;
  std::vector<std::string> wildcards_;  // with their '*'
};

// What a client may not connect to: k6's blacklistIPs and blockHostnames.
struct BlockLists {
  std::vector<IpNet> ips;
  HostnamePatterns hosts;

  bool empty() const { return ips.empty() && hosts.empty(); }
  // The range that holds `address`, or null.
  const IpNet* blocked_ip(const sockaddr* address) const;
  // The pattern that blocks `host`, or null. As k6, IP literals are never
  // blocked by name (blacklistIPs is for them).
  const std::string* blocked_host(const std::string& host) const;
};

// k6's error texts: "IP (10.1.2.3) is in a blacklisted range (10.0.0.0/8)" and
// "hostname (api.example.com) is in a blocked pattern (*.example.com)".
std::string blacklisted_ip_message(const sockaddr* address, const IpNet& net);
std::string blocked_host_message(std::string_view host, std::string_view pattern);

}  // namespace lueng::http
