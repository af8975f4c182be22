#include "tools/hotel-mock/leak.hpp"

#include <cstring>

namespace lueng::hotel_mock {

void Leak::on_request() {
  if (per_request_ == 0) return;
  std::lock_guard lock(mutex_);
  if (kept_ + per_request_ > cap_) return;
  auto chunk = std::make_unique<char[]>(per_request_);
  // Touched, or the pages would stay unmapped and the resident memory flat.
  std::memset(chunk.get(), 0x5a, per_request_);
  chunks_.push_back(std::move(chunk));
  kept_ += per_request_;
}

uint64_t Leak::kept_bytes() const {
  std::lock_guard lock(mutex_);
  return kept_;
}

}  // namespace lueng::hotel_mock
