#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "engine/http/ip_address.hpp"

namespace lueng::http {

// k6's localIPs (lib/types/ipblock.go): source addresses given as single IPs,
// ranges ("10.0.0.10-10.0.0.25") and CIDRs, comma-separated; a VU connects from
// the one at its index (k6: the VU's id - 1), round the pool. An IPv4 CIDR of
// more than two addresses leaves out its network and broadcast ones, as k6.
class IpPool {
 public:
  // "" with the pool read, or k6's words ("192.168.0.100-192.168.0.2: negative
  // IP range" is "negative IP range: 192.168.0.100-192.168.0.2").
  std::string parse(std::string_view text);

  bool empty() const { return blocks_.empty(); }
  // Addresses in the pool (at most 2^128 - 1: larger IPv6 pools saturate).
  unsigned __int128 count() const { return count_; }
  // The address at `index` modulo the pool's count, port 0.
  IpAddress at(unsigned __int128 index) const;

 private:
  struct Block {
    bool ipv6 = false;
    unsigned __int128 first = 0;
    unsigned __int128 count = 0;
    unsigned __int128 start = 0;  // addresses in the blocks before it
  };
  std::vector<Block> blocks_;
  unsigned __int128 count_ = 0;
};

}  // namespace lueng::http
