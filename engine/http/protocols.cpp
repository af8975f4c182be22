#include "engine/http/protocols.hpp"

#include "engine/http/http1_connection.hpp"

namespace lueng::http {

namespace {

// Adding a protocol: its ALPN name here (in order of preference) and its
// Connection in make_connection().
constexpr std::string_view kAlpnOffer = "\x08http/1.1";

}  // namespace

std::string_view alpn_offer() {
  return kAlpnOffer;
}

std::unique_ptr<Connection> make_connection(std::string_view protocol, StreamPtr stream,
                                            const sockaddr* remote, IdleListener& idle) {
  if (protocol.empty() || protocol == "http/1.1")
    return std::make_unique<Http1Connection>(std::move(stream), remote, idle);
  return nullptr;
}

}  // namespace lueng::http
