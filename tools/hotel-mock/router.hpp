#pragma once

#include <string>
#include <string_view>

#include "tools/hotel-mock/endpoint.hpp"
#include "tools/hotel-mock/handlers.hpp"

namespace lueng::hotel_mock {

struct Match {
  Endpoint endpoint = Endpoint::kUnknown;
  Handler handler = nullptr;  // null: answer `status` (404 or 405)
  int status = 404;
  std::string param;
  std::string allow;  // for 405: the methods the path does accept
};

// Finds the handler of a method and decoded path. Patterns are literal segments
// plus `{id}`, which captures exactly one segment.
Match route(std::string_view method, std::string_view path);

}  // namespace lueng::hotel_mock
