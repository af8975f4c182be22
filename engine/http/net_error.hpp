#pragma once

#include <string>
#include <string_view>

#include <uv.h>

#include "engine/http/response.hpp"

namespace lueng::http {

// Failures are reported in the words of Go's net package, which k6 users know from
// their logs: "dial tcp 127.0.0.1:1: connect: connection refused". libuv's error
// strings are the same strerror() texts Go prints.

// "127.0.0.1:80" or "[::1]:80"; nothing for an unset address.
void append_address(std::string& out, const sockaddr* address);

void set_error(ResponseData& out, ErrorCode code, std::string_view message);

// A failed connect (status is a libuv error).
void set_dial_error(ResponseData& out, const sockaddr* remote, int status);
void set_dial_timeout(ResponseData& out, const sockaddr* remote);

// A failed read or write on an established connection; `operation` is "read" or
// "write". `local` may be null when unknown.
void set_io_error(ResponseData& out, std::string_view operation, const sockaddr* local,
                  const sockaddr* remote, int status);

// A failed lookup (status is a libuv getaddrinfo error, UV_EAI_*).
void set_dns_error(ResponseData& out, std::string_view host, int status);

}  // namespace lueng::http
