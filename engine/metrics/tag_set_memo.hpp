#pragma once

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "engine/metrics/sink.hpp"

namespace lueng::metrics {

// Remembers the tag set id that the same inputs of a sample (scenario, group,
// name, method, status, user tags...) produced before. A VU sends the same
// request with the same tags time after time; comparing its raw inputs is much
// cheaper than building, sorting and hashing the canonical tag set again.
//
// A lookup builds a key from the inputs into a reused buffer, compares it with
// the entry the caller hit last (its hint) and then with the entry its hash
// maps to. Entries are only ever replaced, never trusted without comparing the
// whole key, so a wrong hint or a collision costs a miss and never a wrong id.
// One memo per worker thread; no allocation once its keys have been seen.
class TagSetMemo {
 public:
  explicit TagSetMemo(size_t slots = 256);

  // Starts the key of a sample; kind separates samples whose tags are built
  // differently (an http sample and a check with the same strings).
  void begin(char kind) {
    key_.clear();
    key_.push_back(kind);
  }
  void add(std::string_view piece) {
    add_number(piece.size());
    key_.append(piece);
  }
  void add_number(uint64_t value) { key_.append(reinterpret_cast<const char*>(&value), 8); }
  void add_pointer(const void* pointer) { add_number(reinterpret_cast<uintptr_t>(pointer)); }

  // The remembered id of the key built since begin(), or false. *hint is the
  // caller's last slot; it is updated on a hit.
  bool find(uint32_t* hint, TagSetId* id);
  // Remembers id for the key of the last find() that missed.
  void remember(TagSetId id, uint32_t* hint);

 private:
  struct Entry {
    std::string key;  // empty: unused (a real key holds at least its kind)
    TagSetId id = 0;
  };
  std::string key_;
  uint32_t slot_ = 0;  // where the key of the last miss goes
  std::vector<Entry> entries_;
};

// The id of the tag set `build` encodes, through the memo: build(builder) runs
// only when the key in the memo (begin()..add() done by the caller) is new.
// Tag sets the sink folds into its overflow set are not remembered, so each
// such sample is still counted as refused.
template <typename Build>
TagSetId memo_intern(TagSetMemo& memo, uint32_t* hint, Sink& sink, Build&& build) {
  TagSetId id;
  if (memo.find(hint, &id)) return id;
  uint64_t refused = sink.overflowed_tag_sets();
  id = sink.intern(build());
  if (sink.overflowed_tag_sets() == refused) memo.remember(id, hint);
  return id;
}

}  // namespace lueng::metrics
