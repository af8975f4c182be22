#include "engine/metrics/tag_set_memo.hpp"

#include <algorithm>
#include <functional>

namespace lueng::metrics {

TagSetMemo::TagSetMemo(size_t slots) : key_(256, '\0'), entries_(slots ? slots : 1) {}

void TagSetMemo::grow(size_t more) {
  key_.resize(std::max(key_.size() * 2, end_ + more));
}

bool TagSetMemo::find(uint32_t* hint, TagSetId* id) {
  std::string_view key = this->key();
  if (*hint < entries_.size() && entries_[*hint].key == key) {
    *id = entries_[*hint].id;
    return true;
  }
  slot_ = static_cast<uint32_t>(std::hash<std::string_view>{}(key) % entries_.size());
  const Entry& entry = entries_[slot_];
  if (entry.key == key) {
    *id = entry.id;
    *hint = slot_;
    return true;
  }
  return false;
}

void TagSetMemo::remember(TagSetId id, uint32_t* hint) {
  Entry& entry = entries_[slot_];
  entry.key.assign(key());
  entry.id = id;
  *hint = slot_;
}

}  // namespace lueng::metrics
