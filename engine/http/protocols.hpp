#pragma once

#include <memory>
#include <string_view>

#include "engine/http/connection.hpp"
#include "engine/http/stream.hpp"

namespace lueng::http {

// The protocols the client speaks, in ALPN's wire format (each name prefixed by
// its length), most preferred first: what every TLS context offers.
std::string_view alpn_offer();

// A connection speaking `protocol` over `stream`, which is connected: the name
// the TLS handshake agreed on, or empty (plain http, or a server that chose none),
// which means HTTP/1.1. Null for a name not offered. `remote` names the peer in
// error messages; `idle` hears when the connection closes while unused.
std::unique_ptr<Connection> make_connection(std::string_view protocol, StreamPtr stream,
                                            const sockaddr* remote, IdleListener& idle);

}  // namespace lueng::http
