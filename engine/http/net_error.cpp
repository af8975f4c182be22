#include "engine/http/net_error.hpp"

#include <fmt/format.h>

namespace lueng::http {

namespace {

ErrorCode classify_dial(int status) {
  switch (status) {
    case UV_ECONNREFUSED:
      return ErrorCode::kConnectionRefused;
    case UV_ETIMEDOUT:
      return ErrorCode::kDialTimeout;
    default:
      return ErrorCode::kDialFailed;
  }
}

ErrorCode classify_io(std::string_view operation, int status) {
  switch (status) {
    case UV_ECONNRESET:
      return ErrorCode::kConnectionReset;
    case UV_EPIPE:
      return ErrorCode::kBrokenPipe;
    default:
      return operation == "write" ? ErrorCode::kWriteFailed : ErrorCode::kTcpGeneric;
  }
}

}  // namespace

void append_address(std::string& out, const sockaddr* address) {
  char text[INET6_ADDRSTRLEN] = "";
  if (!address) return;
  if (address->sa_family == AF_INET) {
    auto* ipv4 = reinterpret_cast<const sockaddr_in*>(address);
    uv_ip4_name(ipv4, text, sizeof(text));
    fmt::format_to(std::back_inserter(out), "{}:{}", text, ntohs(ipv4->sin_port));
  } else if (address->sa_family == AF_INET6) {
    auto* ipv6 = reinterpret_cast<const sockaddr_in6*>(address);
    uv_ip6_name(ipv6, text, sizeof(text));
    fmt::format_to(std::back_inserter(out), "[{}]:{}", text, ntohs(ipv6->sin6_port));
  }
}

void set_error(ResponseData& out, ErrorCode code, std::string_view message) {
  out.error_code = code;
  out.error.assign(message);
}

void set_dial_error(ResponseData& out, const sockaddr* remote, int status) {
  out.error_code = classify_dial(status);
  out.error = "dial tcp ";
  append_address(out.error, remote);
  fmt::format_to(std::back_inserter(out.error), ": connect: {}", uv_strerror(status));
}

void set_dial_timeout(ResponseData& out, const sockaddr* remote) {
  out.error_code = ErrorCode::kDialTimeout;
  out.error = "dial tcp ";
  append_address(out.error, remote);
  out.error += ": i/o timeout";
}

void set_io_error(ResponseData& out, std::string_view operation, const sockaddr* local,
                  const sockaddr* remote, int status) {
  out.error_code = classify_io(operation, status);
  out.error.assign(operation);
  out.error += " tcp ";
  if (local && local->sa_family != AF_UNSPEC) {
    append_address(out.error, local);
    out.error += "->";
  }
  append_address(out.error, remote);
  fmt::format_to(std::back_inserter(out.error), ": {}: {}", operation, uv_strerror(status));
}

void set_dns_error(ResponseData& out, std::string_view host, int status) {
  bool no_such_host = status == UV_EAI_NONAME || status == UV_EAI_NODATA;
  out.error_code = no_such_host ? ErrorCode::kDnsNoAddress : ErrorCode::kDnsFailed;
  out.error =
      fmt::format("lookup {}: {}", host, no_such_host ? "no such host" : uv_strerror(status));
}

}  // namespace lueng::http
