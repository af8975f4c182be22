#include "engine/http/response.hpp"

#include "engine/http/ascii.hpp"

namespace lueng::http {

std::string_view ResponseData::header(std::string_view name) const {
  for (size_t i = 0; i < headers.size(); ++i) {
    if (ascii_iequals(header_name(i), name)) return header_value(i);
  }
  return {};
}

void ResponseData::clear() {
  status = 0;
  http_minor = 1;
  error_code = ErrorCode::kNone;
  error.clear();
  timings = Timings{};
  bytes_sent = 0;
  bytes_received = 0;
  completed_ns = 0;
  body_discarded = false;
  tls_version = "";
  tls_cipher_suite = "";
  tls_session_reused = false;
  no_set_cookie = false;
  remote = IpAddress{};
  // clear() on strings and vectors keeps their capacity: pooled responses stop
  // allocating once they have seen the largest response of the run.
  body.clear();
  header_bytes.clear();
  headers.clear();
}

}  // namespace lueng::http
