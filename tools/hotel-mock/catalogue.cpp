#include "tools/hotel-mock/catalogue.hpp"

#include <array>

namespace lueng::hotel_mock {

namespace {

// Fixed rather than generated: scripts and tests address accommodations by id and
// must see the same inventory on every run.
constexpr std::array<RoomType, 4> kRoomTypes = {{
    {"cabin-2", "Cabin for two", 2, 85000},
    {"cabin-4", "Family cabin", 4, 120000},
    {"cabin-6", "Lodge cabin", 6, 160000},
    {"suite", "Lake view suite", 3, 140000},
}};

constexpr std::array<Accommodation, 6> kAccommodations = {{
    {1, "Cabana Los Coihues", "cabin-2", 2, 85000},
    {2, "Cabana El Arrayan", "cabin-4", 4, 120000},
    {3, "Cabana Lago Escondido", "cabin-4", 4, 125000},
    {4, "Cabana del Bosque", "cabin-6", 6, 160000},
    {5, "Cabana Cerro Otto", "cabin-2", 2, 90000},
    {6, "Suite Cerro Catedral", "suite", 3, 140000},
}};

}  // namespace

std::span<const RoomType> room_types() {
  return kRoomTypes;
}
std::span<const Accommodation> accommodations() {
  return kAccommodations;
}

const RoomType* find_room_type(std::string_view id) {
  for (const auto& type : kRoomTypes) {
    if (type.id == id) return &type;
  }
  return nullptr;
}

const Accommodation* find_accommodation(int id) {
  for (const auto& accommodation : kAccommodations) {
    if (accommodation.id == id) return &accommodation;
  }
  return nullptr;
}

}  // namespace lueng::hotel_mock
