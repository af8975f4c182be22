#include "tools/hotel-mock/store.hpp"

#include <algorithm>
#include <chrono>

#include <fmt/format.h>

namespace lueng::hotel_mock {

int64_t now_ms() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

bool Store::free_locked(int accommodation_id, Day check_in, Day check_out, int64_t now,
                        const Hold** conflict) const {
  auto it = holds_.find(accommodation_id);
  if (it == holds_.end()) return true;
  auto& holds = it->second;
  std::erase_if(holds, [now](const Hold& hold) { return now >= hold.expires_ms; });
  for (const auto& hold : holds) {
    if (hold.check_in < check_out && check_in < hold.check_out) {
      if (conflict) *conflict = &hold;
      return false;
    }
  }
  return true;
}

std::variant<Reservation, Conflict> Store::prereserve(Reservation request, int64_t now) {
  std::lock_guard lock(mutex_);
  const Hold* conflict = nullptr;
  if (!free_locked(request.accommodation_id, request.check_in, request.check_out, now, &conflict))
    return Conflict{*conflict->id};
  request.id = fmt::format("PR-{:06}", next_id_++);
  request.created_ms = now;
  request.expires_ms = now + hold_ms_;
  auto [it, inserted] = by_id_.emplace(request.id, std::move(request));
  const Reservation& stored = it->second;
  // The map never erases, so the key's address stays valid for the hold's lifetime.
  holds_[stored.accommodation_id].push_back(
      {stored.check_in, stored.check_out, stored.expires_ms, &it->first});
  return stored;
}

std::optional<Reservation> Store::find(const std::string& id) const {
  std::lock_guard lock(mutex_);
  auto it = by_id_.find(id);
  if (it == by_id_.end()) return std::nullopt;
  return it->second;
}

bool Store::is_free(int accommodation_id, Day check_in, Day check_out, int64_t now) const {
  std::lock_guard lock(mutex_);
  return free_locked(accommodation_id, check_in, check_out, now, nullptr);
}

size_t Store::active_count(int64_t now) const {
  std::lock_guard lock(mutex_);
  size_t count = 0;
  for (auto& [id, holds] : holds_) {
    count += static_cast<size_t>(std::count_if(
        holds.begin(), holds.end(), [now](const Hold& h) { return now < h.expires_ms; }));
  }
  return count;
}

}  // namespace lueng::hotel_mock
