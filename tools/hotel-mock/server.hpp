#pragma once

#include "tools/hotel-mock/options.hpp"

namespace lueng::hotel_mock {

// Binds, prints the ready line, serves until SIGINT or SIGTERM; the exit status.
int serve(const Options& options);

}  // namespace lueng::hotel_mock
