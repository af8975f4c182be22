#pragma once

#include <cstdint>
#include <string_view>

#include "engine/exec/http_options.hpp"
#include "engine/http/client.hpp"
#include "engine/http/response.hpp"

namespace lueng::exec {

// Who sent a request, for the dump's first line (k6 logs the same fields).
struct HttpDebugSource {
  uint64_t vu = 0;
  uint64_t iteration = 0;
  std::string_view scenario;
};

// The most of a body the full mode prints; the rest is counted, not shown.
inline constexpr size_t kHttpDebugBodyLimit = 64 * 1024;

// Prints one hop of a request (what was written: request line and headers, as
// the connection wrote them) and its response (status line and headers; with
// kFull, both bodies) to stderr in one write, so that two workers' dumps never
// interleave. Credentials are masked: Authorization and Proxy-Authorization
// keep their scheme only. A binary body is a placeholder with its size, a text
// body longer than kHttpDebugBodyLimit is cut there. Only called with httpDebug
// set: the request path pays one branch when it is off.
void print_http_exchange(HttpDebug mode, const HttpDebugSource& source,
                         const http::Request& request, std::string_view user_agent,
                         const http::ResponseData& response);

}  // namespace lueng::exec
