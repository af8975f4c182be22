// k6's localIPs tables (lib/types/ipblock_test.go), case by case.
#include <arpa/inet.h>

#include <catch2/catch.hpp>

#include <string>

#include "engine/http/ip_pool.hpp"

using lueng::http::IpPool;
using U128 = unsigned __int128;

namespace {

// k6's get128BigInt(hi, lo).
U128 big(uint64_t hi, uint64_t lo) {
  return (static_cast<U128>(hi) << 64) + lo;
}

// Go's net.IP.String() of the pool's address at `index`.
std::string ip_at(const IpPool& pool, U128 index) {
  lueng::http::IpAddress address = pool.at(index);
  char text[INET6_ADDRSTRLEN] = {};
  const sockaddr* raw = address.get();
  if (raw->sa_family == AF_INET6)
    inet_ntop(AF_INET6, &reinterpret_cast<const sockaddr_in6*>(raw)->sin6_addr, text, sizeof(text));
  else
    inet_ntop(AF_INET, &reinterpret_cast<const sockaddr_in*>(raw)->sin_addr, text, sizeof(text));
  return text;
}

}  // namespace

TEST_CASE("k6 TestIpBlock") {
  struct Case {
    const char* block;
    U128 count;
    const char* first;
    const char* last;
  };
  const Case cases[] = {
      {"192.168.0.101", 1, "192.168.0.101", "192.168.0.101"},
      {"192.168.0.101-192.168.0.200", 100, "192.168.0.101", "192.168.0.200"},
      {"192.168.0.100-192.168.0.200", 101, "192.168.0.100", "192.168.0.200"},
      {"fd00:1:1:0::0-fd00:1:1:ff::3ff", big(255, 1024), "fd00:1:1::", "fd00:1:1:ff::3ff"},
      {"fd00:1:1:2::1-fd00:1:1:ff::3ff", big(253, 1023), "fd00:1:1:2::1", "fd00:1:1:ff::3ff"},
      {"192.168.0.0/16", 65534, "192.168.0.1", "192.168.255.254"},
      {"192.168.0.1/16", 65534, "192.168.0.1", "192.168.255.254"},
      {"192.168.0.10/16", 65534, "192.168.0.1", "192.168.255.254"},
      {"192.168.0.10/31", 2, "192.168.0.10", "192.168.0.11"},
      {"192.168.0.10/32", 1, "192.168.0.10", "192.168.0.10"},
      {"fd00::0/120", 256, "fd00::", "fd00::ff"},
      {"fd00::1/120", 256, "fd00::", "fd00::ff"},
      {"fd00::3/120", 256, "fd00::", "fd00::ff"},
      {"fd00::0/112", 65536, "fd00::", "fd00::ffff"},
      {"fd00::1/112", 65536, "fd00::", "fd00::ffff"},
      {"fd00::2/112", 65536, "fd00::", "fd00::ffff"},
  };
  for (const Case& c : cases) {
    INFO(c.block);
    IpPool pool;
    REQUIRE(pool.parse(c.block).empty());
    CHECK(pool.count() == c.count);
    CHECK(ip_at(pool, 0) == c.first);
    CHECK(ip_at(pool, c.count - 1) == c.last);
  }
}

TEST_CASE("k6 TestIPPool") {
  struct Case {
    const char* pool;
    U128 count;
    std::vector<std::pair<uint64_t, const char*>> queries;
  };
  const Case cases[] = {
      {"192.168.0.101", 1, {{0, "192.168.0.101"}, {12, "192.168.0.101"}}},
      {"192.168.0.101,192.168.0.102",
       2,
       {{0, "192.168.0.101"}, {1, "192.168.0.102"}, {12, "192.168.0.101"}, {13, "192.168.0.102"}}},
      {"192.168.0.101-192.168.0.105,fd00::2/112",
       65541,
       {{0, "192.168.0.101"},
        {1, "192.168.0.102"},
        {5, "fd00::"},
        {6, "fd00::1"},
        {65541, "192.168.0.101"}}},
      {"192.168.0.101,192.168.0.102,192.168.0.103,192.168.0.104,192.168.0.105-192.168.0.105,"
       "fd00::2/112",
       65541,
       {{0, "192.168.0.101"},
        {1, "192.168.0.102"},
        {2, "192.168.0.103"},
        {3, "192.168.0.104"},
        {4, "192.168.0.105"},
        {5, "fd00::"},
        {6, "fd00::1"},
        {65541, "192.168.0.101"}}},
  };
  for (const Case& c : cases) {
    INFO(c.pool);
    IpPool pool;
    REQUIRE(pool.parse(c.pool).empty());
    CHECK(pool.count() == c.count);
    for (const auto& [index, ip] : c.queries) {
      INFO(index);
      CHECK(ip_at(pool, index) == ip);
    }
  }
}

TEST_CASE("k6 TestIpBlockError") {
  const std::pair<const char*, const char*> cases[] = {
      {"whatever", "not a valid IP"},
      {"192.168.0.1012", "not a valid IP"},
      {"192.168.0.10/244", "invalid CIDR"},
      {"fd00::0/244", "invalid CIDR"},
      {"192.168.0.101-192.168.0.102/32", "wrong IP range format"},
      {"192.168.0.101-fd00::1", "mixed IP range format"},
      {"fd00::1-192.168.0.101", "mixed IP range format"},
      {"192.168.0.100-192.168.0.2", "negative IP range"},
      {"fd00:1:1:0::0-fd00:1:0:ff::3ff", "negative IP range"},
  };
  for (const auto& [text, expected] : cases) {
    INFO(text);
    IpPool pool;
    std::string problem = pool.parse(text);
    CHECK_THAT(problem, Catch::Matchers::Contains(expected));
  }
}
