#include "tools/hotel-mock/stay.hpp"

#include <fmt/format.h>

namespace lueng::hotel_mock {

std::variant<Stay, std::string> make_stay(std::string_view check_in, std::string_view check_out,
                                          long long guests) {
  auto in = parse_date(check_in);
  if (!in) return fmt::format("check_in '{}' is not a date (YYYY-MM-DD)", check_in);
  auto out = parse_date(check_out);
  if (!out) return fmt::format("check_out '{}' is not a date (YYYY-MM-DD)", check_out);
  if (*out <= *in) return std::string("check_out must be after check_in");
  if (*out - *in > kMaxNights) return fmt::format("stays are limited to {} nights", kMaxNights);
  if (guests < 1) return std::string("guests must be at least 1");
  if (guests > 100) return std::string("guests must be at most 100");
  return Stay{*in, *out, static_cast<int>(guests)};
}

}  // namespace lueng::hotel_mock
