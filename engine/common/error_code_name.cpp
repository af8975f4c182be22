#include "engine/common/error_code_name.hpp"

namespace lueng {

const char* error_code_name(uint16_t code) {
  switch (code) {
    case 0:
      return "none";
    case 1000:
      return "generic";
    case 1020:
      return "invalid_url";
    case 1050:
      return "request_timeout";
    case 1100:
      return "dns_failed";
    case 1101:
      return "dns_no_address";
    case 1110:
      return "blacklisted_ip";
    case 1111:
      return "blocked_hostname";
    case 1200:
      return "tcp_generic";
    case 1201:
      return "broken_pipe";
    case 1202:
      return "write_failed";
    case 1210:
      return "dial_failed";
    case 1211:
      return "dial_timeout";
    case 1212:
      return "connection_refused";
    case 1220:
      return "connection_reset";
    case 1300:
      return "tls_generic";
    case 1301:
      return "tls_bad_header";
    case 1310:
      return "tls_verify_failed";
    case 1311:
      return "tls_hostname_mismatch";
    case 1600:
      return "malformed_response";
    case 1601:
      return "unexpected_eof";
    case 1701:
      return "response_decompression_failed";
    case 1702:
      return "response_too_large";
  }
  // k6's 1000 + status of a 4xx or 5xx response
  if (code >= 1400 && code < 1500) return "http_4xx";
  if (code >= 1500 && code < 1600) return "http_5xx";
  return "unknown";
}

}  // namespace lueng
