#include "engine/http/tls_error.hpp"

#include <cstdio>
#include <mutex>
#include <set>
#include <string>

#include <fmt/format.h>

#include "engine/http/net_error.hpp"

namespace lueng::http {

bool is_tls_error(ErrorCode code) {
  auto value = static_cast<uint16_t>(code);
  return value >= 1300 && value < 1400;
}

void set_tls_handshake_error(ResponseData& out, std::string_view authority, const TlsInfo& info) {
  out.error_code = info.error == ErrorCode::kNone ? ErrorCode::kTlsGeneric : info.error;
  out.error = fmt::format("tls handshake with {}: {}", authority, info.error_message);
}

void set_tls_read_error(ResponseData& out, const sockaddr* remote, const TlsInfo& info) {
  out.error_code = info.error == ErrorCode::kNone ? ErrorCode::kTlsGeneric : info.error;
  out.error = "tls read from ";
  append_address(out.error, remote);
  out.error += ": ";
  out.error += info.error_message;
}

void log_tls_failure_once(std::string_view authority, std::string_view message) {
  static std::mutex mutex;
  static std::set<std::string, std::less<>> logged;
  std::lock_guard lock(mutex);
  if (logged.find(authority) != logged.end()) return;
  logged.emplace(authority);
  fprintf(stderr, "WARN TLS with %.*s failed: %.*s (logged once per host)\n",
          static_cast<int>(authority.size()), authority.data(), static_cast<int>(message.size()),
          message.data());
}

}  // namespace lueng::http
