#include "engine/http/error_code.hpp"

#include "engine/common/error_code_name.hpp"

namespace lueng::http {

const char* error_code_name(ErrorCode code) {
  return lueng::error_code_name(static_cast<uint16_t>(code));
}

}  // namespace lueng::http
