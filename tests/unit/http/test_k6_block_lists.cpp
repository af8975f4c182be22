// k6's tables for blockHostnames (lib/types/hostnametrie_test.go) and the
// blacklistIPs and blockHostnames rows of lib/netext/dialer_test.go, case by case.
#include <arpa/inet.h>

#include <catch2/catch.hpp>

#include <string>

#include "engine/http/block_lists.hpp"

using lueng::http::BlockLists;
using lueng::http::HostnamePatterns;
using lueng::http::IpNet;

namespace {

sockaddr_storage address_of(const std::string& ip) {
  sockaddr_storage storage{};
  if (ip.find(':') == std::string::npos) {
    auto* v4 = reinterpret_cast<sockaddr_in*>(&storage);
    v4->sin_family = AF_INET;
    REQUIRE(inet_pton(AF_INET, ip.c_str(), &v4->sin_addr) == 1);
  } else {
    auto* v6 = reinterpret_cast<sockaddr_in6*>(&storage);
    v6->sin6_family = AF_INET6;
    REQUIRE(inet_pton(AF_INET6, ip.c_str(), &v6->sin6_addr) == 1);
  }
  return storage;
}

IpNet cidr(const std::string& text) {
  IpNet net;
  REQUIRE(lueng::http::parse_cidr(text, net).empty());
  return net;
}

// The error k6's dialer gives for `ip`, or "" when it may connect.
std::string blacklist_error(const BlockLists& lists, const std::string& ip) {
  sockaddr_storage storage = address_of(ip);
  const auto* address = reinterpret_cast<const sockaddr*>(&storage);
  const IpNet* net = lists.blocked_ip(address);
  return net ? lueng::http::blacklisted_ip_message(address, *net) : "";
}

std::string hostname_error(const BlockLists& lists, const std::string& host) {
  const std::string* pattern = lists.blocked_host(host);
  return pattern ? lueng::http::blocked_host_message(host, *pattern) : "";
}

}  // namespace

TEST_CASE("k6 TestHostnameTrieInsert") {
  HostnamePatterns patterns;
  CHECK(patterns.add("foo.bar").empty());
  CHECK(patterns.add("test.k6.io").empty());
  CHECK(patterns.add("inval*d.pattern") == "invalid hostname pattern 'inval*d.pattern'");
  CHECK(patterns.add("*valid.pattern").empty());
}

TEST_CASE("k6 TestHostnameTrieContains") {
  HostnamePatterns patterns;
  for (const char* pattern :
       {"sub.test.k6.io", "test.k6.io", "*valid.pattern", "sub.valid.pattern"})
    REQUIRE(patterns.add(pattern).empty());
  const std::pair<const char*, const char*> cases[] = {
      {"K6.Io", ""},
      {"tEsT.k6.Io", "test.k6.io"},
      {"TESt.K6.IO", "test.k6.io"},
      {"sub.test.k6.io", "sub.test.k6.io"},
      {"sub.sub.test.k6.io", ""},
      {"blocked.valId.paTtern", "*valid.pattern"},
      {"valId.paTtern", "*valid.pattern"},
      {"sub.valid.pattern", "sub.valid.pattern"},  // the most specific pattern
      {"www.sub.valid.pattern", "*valid.pattern"},
      {"example.test.k6.io", ""},
  };
  for (const auto& [host, expected] : cases) {
    INFO(host);
    const std::string* match = patterns.match(host);
    if (*expected == '\0') {
      CHECK(match == nullptr);
    } else {
      REQUIRE(match != nullptr);
      CHECK(*match == expected);
    }
  }
}

TEST_CASE("k6 TestDialerAddr: the blacklisted addresses") {
  // k6 resolves example-deny-*.com to these addresses (a mock resolver and its
  // hosts option); the dialer then refuses them.
  BlockLists lists;
  lists.ips = {cidr("8.9.10.0/24"), cidr("::1/24")};
  const std::pair<const char*, const char*> cases[] = {
      {"1.2.3.4", ""},  // example-resolver.com
      {"3.4.5.6", ""},  // example.com
      {"8.9.10.11", "IP (8.9.10.11) is in a blacklisted range (8.9.10.0/24)"},  // deny-resolver
      {"8.9.10.11", "IP (8.9.10.11) is in a blacklisted range (8.9.10.0/24)"},  // deny-host
      {"2001:db8::68", ""},                                                     // example-ipv6.com
      {"2001:db8:aaaa:1::100", ""},
      {"::1", "IP (::1) is in a blacklisted range (::/24)"},  // ipv6-deny-resolver
      {"::1", "IP (::1) is in a blacklisted range (::/24)"},  // ipv6-deny-host
      {"::1", "IP (::1) is in a blacklisted range (::/24)"},  // ipv6-deny-host again
  };
  for (const auto& [ip, expected] : cases) {
    INFO(ip);
    CHECK(blacklist_error(lists, ip) == expected);
  }
}

TEST_CASE("k6 TestDialerAddrBlockHostnamesStar") {
  BlockLists lists;
  REQUIRE(lists.hosts.add("*").empty());
  CHECK(hostname_error(lists, "example.com") ==
        "hostname (example.com) is in a blocked pattern (*)");
  CHECK(hostname_error(lists, "example.com") ==
        "hostname (example.com) is in a blocked pattern (*)");  // k6's :443 row
  CHECK(hostname_error(lists, "not.com") == "hostname (not.com) is in a blocked pattern (*)");
  CHECK(hostname_error(lists, "1.2.3.4").empty());  // an address is not a name
}

TEST_CASE("CIDR ranges are read as Go's net.ParseCIDR reads them") {
  CHECK(cidr("10.1.2.3/8").text == "10.0.0.0/8");
  CHECK(cidr("fd00::1/120").text == "fd00::/120");
  CHECK(cidr("0.0.0.0/0").text == "0.0.0.0/0");
  IpNet net;
  for (const char* bad : {"10.0.0.0", "10.0.0.0/33", "fd00::/129", "10.0.0.0/", "10.0.0/8",
                          "whatever/8", "10.0.0.0/-1", "10.0.0.0/8x", ""}) {
    INFO(bad);
    CHECK(lueng::http::parse_cidr(bad, net) == "invalid CIDR address: " + std::string(bad));
  }
  BlockLists lists;
  lists.ips = {cidr("10.0.0.0/8")};
  CHECK(blacklist_error(lists, "10.255.255.255") ==
        "IP (10.255.255.255) is in a blacklisted range (10.0.0.0/8)");
  CHECK(blacklist_error(lists, "11.0.0.0").empty());
  CHECK(blacklist_error(lists, "::ffff:10.1.2.3") ==
        "IP (10.1.2.3) is in a blacklisted range (10.0.0.0/8)");
  lists.ips = {cidr("10.1.2.0/23")};  // a prefix that ends inside a byte
  CHECK(!blacklist_error(lists, "10.1.3.4").empty());
  CHECK(blacklist_error(lists, "10.1.4.4").empty());
}

TEST_CASE("hostname patterns are checked as k6's validHostnamePattern checks them") {
  HostnamePatterns patterns;
  for (const char* good : {"*", "*.example.com", "*example.com", "a-b.c", "x", "EXAMPLE.com"})
    CHECK(patterns.add(good).empty());
  for (const char* bad :
       {"**.a", "a*", "-a.com", "a-.com", "a..com", "a.com.", ".a.com", "a_b.com", "*.-a"}) {
    INFO(bad);
    CHECK_FALSE(patterns.add(bad).empty());
  }
  CHECK(*patterns.match("WWW.Example.COM") == "*.example.com");
}
