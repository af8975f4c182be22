#pragma once

#include <cstdint>

namespace lueng {

// The short stable name of one of k6's error codes, the numbers of the
// error_code tag and res.error_code (http::ErrorCode lists them):
// "connection_refused". "unknown" for a number that is none of them. Here, not
// in engine/http, because what reads a saved result knows the numbers alone.
const char* error_code_name(uint16_t code);

}  // namespace lueng
