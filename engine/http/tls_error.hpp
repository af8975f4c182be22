#pragma once

#include <string_view>

#include <uv.h>

#include "engine/http/response.hpp"
#include "engine/http/stream.hpp"

namespace lueng::http {

bool is_tls_error(ErrorCode code);

// A failed handshake with `authority` ("host:port").
void set_tls_handshake_error(ResponseData& out, std::string_view authority, const TlsInfo& info);
// A TLS failure after the handshake (an alert, a bad record) on the connection to `remote`.
void set_tls_read_error(ResponseData& out, const sockaddr* remote, const TlsInfo& info);

// Prints the first TLS failure with each authority to stderr, once per process:
// a run against a host with a bad certificate fails every request, but says so
// only once. Thread-safe; touched only when a request failed.
void log_tls_failure_once(std::string_view authority, std::string_view message);

}  // namespace lueng::http
