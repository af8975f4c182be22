#pragma once

#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <variant>
#include <vector>

#include "tools/hotel-mock/dates.hpp"

namespace lueng::hotel_mock {

struct Guest {
  std::string name;
  std::string phone;
  std::string email;
};

struct Reservation {
  std::string id;
  int accommodation_id = 0;
  Day check_in = 0;
  Day check_out = 0;  // exclusive: the guest leaves that morning
  int guests = 0;
  Guest guest;
  int64_t total_price = 0;
  int64_t created_ms = 0;
  int64_t expires_ms = 0;

  bool expired(int64_t now_ms) const { return now_ms >= expires_ms; }
};

struct Conflict {
  std::string reservation_id;
};

// Reservations of all worker threads. One mutex is plenty: each operation is a few
// comparisons over six accommodations, far below the cost of the HTTP around it.
class Store {
 public:
  explicit Store(double hold_s) : hold_ms_(static_cast<int64_t>(hold_s * 1000)) {}

  // Creates a pre-reservation unless an unexpired one of the same accommodation
  // shares a night with it.
  std::variant<Reservation, Conflict> prereserve(Reservation request, int64_t now_ms);

  std::optional<Reservation> find(const std::string& id) const;

  // Whether the accommodation has every night of [check_in, check_out) free.
  bool is_free(int accommodation_id, Day check_in, Day check_out, int64_t now_ms) const;

  size_t active_count(int64_t now_ms) const;

 private:
  struct Hold {
    Day check_in;
    Day check_out;
    int64_t expires_ms;
    const std::string* id;
  };

  bool free_locked(int accommodation_id, Day check_in, Day check_out, int64_t now_ms,
                   const Hold** conflict) const;

  const int64_t hold_ms_;
  mutable std::mutex mutex_;
  uint64_t next_id_ = 1;
  std::unordered_map<std::string, Reservation> by_id_;
  // Per accommodation, the holds that may still block dates; expired ones are
  // dropped as they are met so the overlap scan stays short in long soaks.
  mutable std::unordered_map<int, std::vector<Hold>> holds_;
};

int64_t now_ms();

}  // namespace lueng::hotel_mock
