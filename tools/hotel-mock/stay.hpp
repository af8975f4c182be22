#pragma once

#include <string>
#include <string_view>
#include <variant>

#include "tools/hotel-mock/dates.hpp"

namespace lueng::hotel_mock {

struct Stay {
  Day check_in;
  Day check_out;
  int guests;

  int nights() const { return static_cast<int>(check_out - check_in); }
};

inline constexpr int kMaxNights = 90;

// The same rules for the query-string and the JSON forms of a stay; returns the
// message of a 400 when the stay is not valid.
std::variant<Stay, std::string> make_stay(std::string_view check_in, std::string_view check_out,
                                          long long guests);

}  // namespace lueng::hotel_mock
