// k6's hosts option with ports (engine/http/host_map.hpp): entries read as k6
// reads them, and the address and port a name and port connect to: the rows of
// k6's lib/netext/dialer_test.go TestDialerAddr that map host:port, dial an
// address or a name that does not resolve.
#include <arpa/inet.h>
#include <uv.h>

#include <catch2/catch.hpp>

#include "engine/http/host_map.hpp"
#include "engine/http/net_error.hpp"
#include "engine/http/response.hpp"

using lueng::http::HostMap;
using lueng::http::HostMapping;
using lueng::http::parse_host_mapping;

namespace {

HostMapping mapping(const char* key, const char* value) {
  HostMapping out;
  REQUIRE(parse_host_mapping(key, value, &out).empty());
  return out;
}

// "ip:port" as k6's addr.String() writes it ("[v6]:port").
std::string dial_address(const HostMap& hosts, const char* host, uint16_t port) {
  const HostMapping* found = hosts.find(host, port);
  if (!found) return "";
  const sockaddr_storage& address = found->address.front();
  char text[64];
  uint16_t to = found->to_port ? found->to_port : port;
  if (address.ss_family == AF_INET6) {
    inet_ntop(AF_INET6, &reinterpret_cast<const sockaddr_in6*>(&address)->sin6_addr, text,
              sizeof text);
    return "[" + std::string(text) + "]:" + std::to_string(to);
  }
  inet_ntop(AF_INET, &reinterpret_cast<const sockaddr_in*>(&address)->sin_addr, text, sizeof text);
  return std::string(text) + ":" + std::to_string(to);
}

}  // namespace

TEST_CASE("k6 TestDialerAddr: hosts entries with ports") {
  // k6's hosts: the name entries are pinned names in lueng's DNS cache; a map
  // holding them too gives the same answers.
  HostMap hosts;
  hosts.add(mapping("example.com", "3.4.5.6"));
  hosts.add(mapping("example.com:443", "3.4.5.6:8443"));
  hosts.add(mapping("example.com:8080", "3.4.5.6:9090"));
  hosts.add(mapping("example-ipv6.com", "2001:db8::68"));
  hosts.add(mapping("example-ipv6.com:443", "[2001:db8::68]:8443"));
  CHECK(dial_address(hosts, "example.com", 80) == "3.4.5.6:80");
  CHECK(dial_address(hosts, "example.com", 443) == "3.4.5.6:8443");
  CHECK(dial_address(hosts, "example.com", 8080) == "3.4.5.6:9090");
  CHECK(dial_address(hosts, "example-ipv6.com", 443) == "[2001:db8::68]:8443");
  CHECK(dial_address(hosts, "example-resolver.com", 80).empty());  // left to the resolver
}

TEST_CASE("hosts entries: what is refused, naming it") {
  HostMapping out;
  CHECK(parse_host_mapping("a.test:http", "127.0.0.1", &out) ==
        "'a.test:http' is not a host name or HOST:PORT");
  CHECK(parse_host_mapping("a.test:0", "127.0.0.1", &out).find("HOST:PORT") != std::string::npos);
  CHECK(parse_host_mapping(":80", "127.0.0.1", &out) == "':80' has no host name");
  CHECK(parse_host_mapping("a.test", "nowhere", &out).find("IPv4 or IPv6") != std::string::npos);
  CHECK(parse_host_mapping("a.test", "127.0.0.1:70000", &out) ==
        "'127.0.0.1:70000' has no valid port");
  CHECK(parse_host_mapping("a.test", "[::1]", &out).find("IP:PORT") != std::string::npos);
  CHECK(parse_host_mapping("a.test", "::1", &out).empty());  // IPv6 alone: several ':'
  CHECK(out.to_port == 0);
}

TEST_CASE("k6 TestDialerAddr: an IP address, and a name that does not resolve") {
  // "1.2.3.4:80" dials 1.2.3.4:80: an address is its own answer, no lookup.
  uv_loop_t loop;
  REQUIRE(uv_loop_init(&loop) == 0);
  {
    lueng::http::DnsCache dns(&loop);
    const lueng::http::AddressList* answer = dns.find("1.2.3.4");
    REQUIRE(answer);
    REQUIRE(answer->size() == 1);
    char text[16];
    const auto* v4 = reinterpret_cast<const sockaddr_in*>(&answer->front());
    REQUIRE(v4->sin_family == AF_INET);
    CHECK(std::string(inet_ntop(AF_INET, &v4->sin_addr, text, sizeof text)) == "1.2.3.4");
  }
  uv_run(&loop, UV_RUN_DEFAULT);  // the cache's handle closes
  CHECK(uv_loop_close(&loop) == 0);
  // "no-such-host.com:80": k6's words for a name with no address.
  lueng::http::ResponseData out;
  lueng::http::set_dns_error(out, "no-such-host.com", UV_EAI_NONAME);
  CHECK(out.error == "lookup no-such-host.com: no such host");
}
