#include "engine/http/host_map.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>

#include <charconv>
#include <cstring>

namespace lueng::http {

namespace {

// "1..65535", or 0 for anything else.
uint16_t read_port(std::string_view text) {
  unsigned value = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size() || value == 0 || value > 65535)
    return 0;
  return static_cast<uint16_t>(value);
}

bool read_ip(std::string_view text, sockaddr_storage* out) {
  std::string ip(text);
  std::memset(out, 0, sizeof *out);
  auto* v4 = reinterpret_cast<sockaddr_in*>(out);
  if (inet_pton(AF_INET, ip.c_str(), &v4->sin_addr) == 1) {
    v4->sin_family = AF_INET;
    return true;
  }
  auto* v6 = reinterpret_cast<sockaddr_in6*>(out);
  if (inet_pton(AF_INET6, ip.c_str(), &v6->sin6_addr) == 1) {
    v6->sin6_family = AF_INET6;
    return true;
  }
  return false;
}

}  // namespace

std::string parse_host_mapping(std::string_view key, std::string_view value, HostMapping* out) {
  *out = HostMapping{};
  std::string_view host = key;
  if (size_t colon = key.rfind(':'); colon != std::string_view::npos) {
    host = key.substr(0, colon);
    out->port = read_port(key.substr(colon + 1));
    if (out->port == 0 || host.find(':') != std::string_view::npos)
      return "'" + std::string(key) + "' is not a host name or HOST:PORT";
  }
  if (host.empty()) return "'" + std::string(key) + "' has no host name";
  out->host = std::string(host);

  std::string_view ip = value;
  if (!value.empty() && value.front() == '[') {  // [IPv6]:port
    size_t close = value.find(']');
    if (close == std::string_view::npos || close + 1 >= value.size() || value[close + 1] != ':')
      return "'" + std::string(value) + "' is not an IP address or IP:PORT";
    ip = value.substr(1, close - 1);
    out->to_port = read_port(value.substr(close + 2));
    if (out->to_port == 0) return "'" + std::string(value) + "' has no valid port";
  } else if (size_t colon = value.find(':'); colon != std::string_view::npos &&
                                             value.find(':', colon + 1) == std::string_view::npos) {
    ip = value.substr(0, colon);  // IPv4:port (an IPv6 address alone has several ':')
    out->to_port = read_port(value.substr(colon + 1));
    if (out->to_port == 0) return "'" + std::string(value) + "' has no valid port";
  }
  sockaddr_storage address;
  if (!read_ip(ip, &address))
    return "'" + std::string(value) + "' must be an IPv4 or IPv6 address, with a port or not";
  out->address.push_back(address);
  return "";
}

const HostMapping* HostMap::find(const std::string& host, uint16_t port) const {
  const HostMapping* any_port = nullptr;
  for (const HostMapping& entry : entries_) {
    if (entry.host != host) continue;
    if (entry.port == port) return &entry;
    if (entry.port == 0) any_port = &entry;
  }
  return any_port;
}

}  // namespace lueng::http
