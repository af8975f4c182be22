#pragma once

#include <cstdint>

namespace lueng::http {

// Failure classes of a request. The numeric values are k6's error codes so that
// scripts and dashboards written for k6 keep working (res.error_code, error_code tag).
// Each has its name in engine/common/error_code_name.cpp.
enum class ErrorCode : uint16_t {
  kNone = 0,
  kGeneric = 1000,     // also a redirect that cannot be followed, as in k6
  kInvalidUrl = 1020,  // a request without a URL; scripts' bad URLs are Lua errors
  kRequestTimeout = 1050,
  kDnsFailed = 1100,      // the lookup failed: no answer, a server failure (EAI_AGAIN, EAI_FAIL...)
  kDnsNoAddress = 1101,   // no such host: the name does not exist or has no address
  kBlacklistedIp = 1110,  // the address is in a blacklistIPs range; nothing was sent
  kBlockedHostname = 1111,  // the host matches a blockHostnames pattern; not even looked up
  kTcpGeneric = 1200,
  kBrokenPipe = 1201,
  kWriteFailed = 1202,
  kDialFailed = 1210,
  kDialTimeout = 1211,
  kConnectionRefused = 1212,
  kConnectionReset = 1220,
  kTlsGeneric = 1300,
  kTlsBadHeader = 1301,         // the server's first bytes are not TLS (a plain HTTP port?)
  kTlsVerifyFailed = 1310,      // the certificate does not chain to a trusted CA, or expired
  kTlsHostnameMismatch = 1311,  // the certificate is not valid for the host
  kMalformedResponse = 1600,    // server spoke something that is not HTTP/1.x
  kUnexpectedEof = 1601,        // connection closed before the response was complete
  kResponseDecompressionFailed = 1701,  // Content-Encoding gzip/deflate that does not decode
  kResponseTooLarge = 1702,  // a kept body (decoded) passed maxResponseBodySize; lueng's own
};

// A short stable name for logs, e.g. "connection_refused" (engine/common's error_code_name).
const char* error_code_name(ErrorCode code);

}  // namespace lueng::http
