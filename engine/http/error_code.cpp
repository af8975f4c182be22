#include "engine/http/error_code.hpp"

namespace lueng::http {

const char* error_code_name(ErrorCode code) {
  switch (code) {
    case ErrorCode::kNone:
      return "none";
    case ErrorCode::kGeneric:
      return "generic";
    case ErrorCode::kInvalidUrl:
      return "invalid_url";
    case ErrorCode::kRequestTimeout:
      return "request_timeout";
    case ErrorCode::kDnsFailed:
      return "dns_failed";
    case ErrorCode::kDnsNoAddress:
      return "dns_no_address";
    case ErrorCode::kTcpGeneric:
      return "tcp_generic";
    case ErrorCode::kBrokenPipe:
      return "broken_pipe";
    case ErrorCode::kWriteFailed:
      return "write_failed";
    case ErrorCode::kDialFailed:
      return "dial_failed";
    case ErrorCode::kDialTimeout:
      return "dial_timeout";
    case ErrorCode::kConnectionRefused:
      return "connection_refused";
    case ErrorCode::kConnectionReset:
      return "connection_reset";
    case ErrorCode::kTlsGeneric:
      return "tls_generic";
    case ErrorCode::kTlsBadHeader:
      return "tls_bad_header";
    case ErrorCode::kTlsVerifyFailed:
      return "tls_verify_failed";
    case ErrorCode::kTlsHostnameMismatch:
      return "tls_hostname_mismatch";
    case ErrorCode::kMalformedResponse:
      return "malformed_response";
    case ErrorCode::kUnexpectedEof:
      return "unexpected_eof";
    case ErrorCode::kResponseDecompressionFailed:
      return "response_decompression_failed";
    case ErrorCode::kResponseTooLarge:
      return "response_too_large";
  }
  return "unknown";
}

}  // namespace lueng::http
