#include <variant>

#include "tools/hotel-mock/options.hpp"
#include "tools/hotel-mock/server.hpp"

int main(int argc, char** argv) {
  auto parsed = lueng::hotel_mock::parse_options(argc, argv);
  if (const int* status = std::get_if<int>(&parsed)) return *status;
  return lueng::hotel_mock::serve(std::get<lueng::hotel_mock::Options>(parsed));
}
