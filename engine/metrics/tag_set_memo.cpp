#include "engine/metrics/tag_set_memo.hpp"

#include <functional>

namespace lueng::metrics {

TagSetMemo::TagSetMemo(size_t slots) : entries_(slots ? slots : 1) {}

bool TagSetMemo::find(uint32_t* hint, TagSetId* id) {
  if (*hint < entries_.size() && entries_[*hint].key == key_) {
    *id = entries_[*hint].id;
    return true;
  }
  slot_ = static_cast<uint32_t>(std::hash<std::string_view>{}(key_) % entries_.size());
  const Entry& entry = entries_[slot_];
  if (entry.key == key_) {
    *id = entry.id;
    *hint = slot_;
    return true;
  }
  return false;
}

void TagSetMemo::remember(TagSetId id, uint32_t* hint) {
  Entry& entry = entries_[slot_];
  entry.key.assign(key_);
  entry.id = id;
  *hint = slot_;
}

}  // namespace lueng::metrics
