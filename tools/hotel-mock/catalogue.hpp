#pragma once

#include <span>
#include <string_view>

namespace lueng::hotel_mock {

// The property's fixed inventory. Each accommodation is one bookable unit (a cabin
// or a room), so a pre-reservation blocks it outright for its nights; a room type
// groups units the PMS sells alike.
struct RoomType {
  std::string_view id;
  std::string_view name;
  int max_guests;
  int nightly_rate;  // in kCurrency, whole units
};

struct Accommodation {
  int id;
  std::string_view name;
  std::string_view room_type;
  int capacity;
  int nightly_rate;
};

inline constexpr std::string_view kCurrency = "ARS";

std::span<const RoomType> room_types();
std::span<const Accommodation> accommodations();

const RoomType* find_room_type(std::string_view id);
const Accommodation* find_accommodation(int id);

}  // namespace lueng::hotel_mock
