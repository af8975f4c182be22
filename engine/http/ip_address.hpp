#pragma once

#include <netinet/in.h>
#include <sys/socket.h>

#include <algorithm>
#include <cstring>

namespace lueng::http {

// An IPv4 or IPv6 socket address, the only kinds DNS gives lueng, in 28 bytes
// where a sockaddr_storage takes 128: every VU's dialer and every connection keeps
// one, and a VU's size is what holds many VUs in memory.
class IpAddress {
 public:
  IpAddress() = default;
  explicit IpAddress(const sockaddr* address) { assign(address); }

  void assign(const sockaddr* address) {
    size_t length = address->sa_family == AF_INET6 ? sizeof(sockaddr_in6) : sizeof(sockaddr_in);
    std::memset(&storage_, 0, sizeof(storage_));
    std::memcpy(&storage_, address, std::min(length, sizeof(storage_)));
  }
  const sockaddr* get() const { return reinterpret_cast<const sockaddr*>(&storage_); }

 private:
  union {
    sockaddr_in v4;
    sockaddr_in6 v6;
  } storage_{};
};

}  // namespace lueng::http
