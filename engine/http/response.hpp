#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "engine/http/error_code.hpp"
#include "engine/http/ip_address.hpp"

namespace lueng::http {

// Phases of one request in milliseconds, with k6's meanings:
// blocked = waiting before the request could start (DNS lookup, connection slot),
// connecting = TCP connect, tls_handshaking, sending = writing the request,
// waiting = last request byte to first response byte, receiving = first to last
// response byte; duration = sending + waiting + receiving.
struct Timings {
  double blocked = 0, connecting = 0, tls_handshaking = 0, sending = 0, waiting = 0, receiving = 0,
         duration = 0;
};

// Everything known about one finished (or failed) request. Objects are pooled and
// reused: clear() keeps the buffers' capacity so steady-state requests do not allocate.
struct ResponseData {
  int status = 0;      // 0 when no response was received
  int http_minor = 1;  // HTTP/1.<minor>
  ErrorCode error_code = ErrorCode::kNone;
  bool body_discarded = false;      // body was counted but not kept
  bool tls_session_reused = false;  // the connection resumed an earlier TLS session
  // No header is a Set-Cookie: known when the simple-head reader read the head
  // (its scan compares every name anyway); false when unknown.
  bool no_set_cookie = false;
  std::string error;  // human-readable cause, empty on success
  Timings timings;
  uint64_t bytes_sent = 0;      // request bytes written on the wire (headers + body)
  uint64_t bytes_received = 0;  // response bytes read from the wire (headers + body)
  // uv_hrtime() when its connection finished with it (last byte read, or failed);
  // 0 when no connection took part. The time its samples are recorded at.
  uint64_t completed_ns = 0;
  // TLS of the connection that carried it (static strings; "" for plain http).
  const char* tls_version = "";       // "tls1.2", "tls1.3"
  const char* tls_cipher_suite = "";  // e.g. "TLS_AES_128_GCM_SHA256"
  // The peer of the connection that carried it (k6's res.remote_ip and
  // remote_port); family 0 when no connection was reached.
  IpAddress remote;
  std::string body;

  // Headers in arrival order, stored flat in one buffer.
  struct HeaderRef {
    uint32_t name_offset, name_length, value_offset, value_length;
    bool operator==(const HeaderRef&) const = default;
  };
  std::string header_bytes;
  std::vector<HeaderRef> headers;

  size_t header_count() const { return headers.size(); }
  std::string_view header_name(size_t i) const {
    return {header_bytes.data() + headers[i].name_offset, headers[i].name_length};
  }
  std::string_view header_value(size_t i) const {
    return {header_bytes.data() + headers[i].value_offset, headers[i].value_length};
  }
  // First header with this name, compared case-insensitively; empty when absent.
  std::string_view header(std::string_view name) const;

  void clear();
};

}  // namespace lueng::http
