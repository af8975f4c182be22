#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "tools/hotel-mock/endpoint.hpp"

namespace lueng::hotel_mock {

// One parsed request. Header names are stored lowercased so lookups need no
// case-insensitive compare; values and the body are kept byte for byte because
// signatures cover the exact bytes sent.
struct Request {
  std::string method;
  std::string target;  // as sent: path and query, percent-encoded
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  bool keep_alive = true;
  uint64_t start_ns = 0;  // when the first byte of the request was parsed

  std::string path;                                        // decoded
  std::vector<std::pair<std::string, std::string>> query;  // decoded, in order

  const std::string* header(std::string_view lowercase_name) const;
  // The first value of a query parameter.
  const std::string* param(std::string_view name) const;

  // Splits `target` into the decoded `path` and `query`.
  void decode_target();
};

struct Response {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;  // besides the standard ones
  // Set by a handler that learns from the body that the request is of another kind
  // than its route says (an audio WhatsApp message); used for latency and metrics.
  std::optional<Endpoint> endpoint;
};

// Decodes %XX escapes, and `+` as a space when `plus_is_space` (query strings
// are form-encoded). Malformed escapes are kept literally, as most servers do.
std::string percent_decode(std::string_view text, bool plus_is_space);

std::string_view reason_phrase(int status);

// Status line, headers and body, ready for one write.
void serialize(const Response& response, bool keep_alive, std::string& out);

}  // namespace lueng::hotel_mock
