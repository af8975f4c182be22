#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "engine/http/response.hpp"

namespace lueng::http {

// What a simple response head says about the response.
struct SimpleHead {
  size_t length = 0;  // bytes of the head, its blank line included
  int status = 0;
  int http_minor = 1;
  uint64_t content_length = 0;
  size_t content_length_at = 0;      // where the Content-Length value's digits start ...
  size_t content_length_digits = 0;  // ... and how many there are
  bool keep_alive = false;
  bool content_encoded = false;  // a Content-Encoding header is among them
  bool set_cookie = false;       // a Set-Cookie header is among them

  bool operator==(const SimpleHead&) const = default;
};

// Reads the common response head of a load test in one pass: the whole head in
// `data`, status 200-599 but 204 and 304 (they have no body whatever the head
// says), a Content-Length, and nothing llhttp would have to interpret further.
// `headers` gets each header's name and value (trimmed) as offsets into `data`.
//
// False, with `headers` cleared, for anything else: a head cut by the end of the
// read, a bare LF, a folded line, a byte outside printable ASCII, Transfer-Encoding,
// Upgrade, a Connection value other than one "close" or "keep-alive", a repeated
// Content-Length or Connection, a body that runs to the connection's end.
// The caller gives such heads to llhttp, which then decides everything: this
// reader accepts only what llhttp reads the same way, so its answer never differs
// from llhttp's (tests/fuzz/fuzz_response_reader.cpp compares the two).
bool read_simple_head(const char* data, size_t length,
                      std::vector<ResponseData::HeaderRef>& headers, SimpleHead& head);

// A Content-Length value read_simple_head() takes: 1 to 18 digits.
bool parse_content_length(std::string_view digits, uint64_t& value);

}  // namespace lueng::http
