#include "engine/http/ip_pool.hpp"

#include <arpa/inet.h>

#include <limits>

#include "engine/http/block_lists.hpp"

namespace lueng::http {

namespace {

using U128 = unsigned __int128;
constexpr U128 kMax = std::numeric_limits<U128>::max();

// Go's net.ParseIP: IPv4 or IPv6 text; `value` holds it as a number.
bool parse_ip(std::string_view text, bool& ipv6, U128& value) {
  std::string ip(text);
  uint8_t bytes[16] = {};
  if (inet_pton(AF_INET, ip.c_str(), bytes) == 1) {
    ipv6 = false;
  } else if (inet_pton(AF_INET6, ip.c_str(), bytes) == 1) {
    ipv6 = true;
  } else {
    return false;
  }
  value = 0;
  for (int i = 0; i < (ipv6 ? 16 : 4); ++i) value = (value << 8) | bytes[i];
  return true;
}

U128 add_saturating(U128 a, U128 b) {
  return a > kMax - b ? kMax : a + b;
}

}  // namespace

std::string IpPool::parse(std::string_view text) {
  blocks_.clear();
  count_ = 0;
  while (true) {
    size_t comma = text.find(',');
    std::string_view item = text.substr(0, comma);
    Block block;
    if (size_t dash = item.find('-'); dash != std::string_view::npos) {
      bool last_v6 = false;
      U128 last = 0;
      if (!parse_ip(item.substr(0, dash), block.ipv6, block.first) ||
          !parse_ip(item.substr(dash + 1), last_v6, last))
        return "wrong IP range format: " + std::string(item);
      if (block.ipv6 != last_v6) return "mixed IP range format: " + std::string(item);
      if (last < block.first) return "negative IP range: " + std::string(item);
      block.count = add_saturating(last - block.first, 1);
    } else if (item.find('/') != std::string_view::npos) {
      IpNet net;
      if (std::string problem = parse_cidr(item, net); !problem.empty())
        return "parseCIDR() failed parsing " + std::string(item) + ": " + problem;
      block.ipv6 = net.family == AF_INET6;
      int bits = block.ipv6 ? 128 : 32;
      for (int i = 0; i < bits / 8; ++i) block.first = (block.first << 8) | net.bytes[i];
      int host_bits = bits - net.prefix;
      block.count = host_bits == 128 ? kMax : (static_cast<U128>(1) << host_bits);
      if (!block.ipv6 && block.count > 2) {  // k6: no network or broadcast address
        block.count -= 2;
        block.first += 1;
      }
    } else {
      if (!parse_ip(item, block.ipv6, block.first))
        return std::string(item) + " is not a valid IP, IP range or CIDR";
      block.count = 1;
    }
    block.start = count_;
    count_ = add_saturating(count_, block.count);
    blocks_.push_back(block);
    if (comma == std::string_view::npos) return "";
    text.remove_prefix(comma + 1);
  }
}

IpAddress IpPool::at(U128 index) const {
  U128 i = index % count_;
  const Block* block = &blocks_.front();
  for (const Block& candidate : blocks_)
    if (i >= candidate.start) block = &candidate;
  U128 value = block->first + (i - block->start);
  sockaddr_storage storage{};
  if (block->ipv6) {
    auto* v6 = reinterpret_cast<sockaddr_in6*>(&storage);
    v6->sin6_family = AF_INET6;
    for (int b = 15; b >= 0; --b, value >>= 8)
      v6->sin6_addr.s6_addr[b] = static_cast<uint8_t>(value);
  } else {
    auto* v4 = reinterpret_cast<sockaddr_in*>(&storage);
    v4->sin_family = AF_INET;
    v4->sin_addr.s_addr = htonl(static_cast<uint32_t>(value));
  }
  return IpAddress(reinterpret_cast<const sockaddr*>(&storage));
}

}  // namespace lueng::http
