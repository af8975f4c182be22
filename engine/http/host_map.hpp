#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "engine/http/dns_cache.hpp"

namespace lueng::http {

// One entry of k6's hosts option: a name, or a name and port ("api.example.com:443"),
// and the address it goes to, with or without a port ("127.0.0.1:8443").
struct HostMapping {
  std::string host;
  uint16_t port = 0;     // the key's port, 0 for any
  AddressList address;   // the one address to connect to
  uint16_t to_port = 0;  // the value's port, 0 to keep the URL's
};

// Reads "key" = "value" as k6 reads a hosts entry; "" or the problem.
std::string parse_host_mapping(std::string_view key, std::string_view value, HostMapping* out);

// The entries that a name-to-address pin of the DNS cache cannot hold: those
// with a port in the key or the value. A key with a port wins over one without.
class HostMap {
 public:
  void add(HostMapping mapping) { entries_.push_back(std::move(mapping)); }
  bool empty() const { return entries_.empty(); }
  const HostMapping* find(const std::string& host, uint16_t port) const;

 private:
  std::vector<HostMapping> entries_;
};

}  // namespace lueng::http
