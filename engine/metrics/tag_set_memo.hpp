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
    end_ = 0;
    reserve(1);
    key_[end_++] = kind;
  }
  // Inline, without std::string's appends: a request's samples add a dozen
  // pieces, most a few bytes long.
  void add(std::string_view piece) {
    reserve(8 + piece.size());
    store_number(piece.size());
    copy_piece(key_.data() + end_, piece.data(), piece.size());
    end_ += piece.size();
  }
  void add_number(uint64_t value) {
    reserve(8);
    store_number(value);
  }
  void add_pointer(const void* pointer) { add_number(reinterpret_cast<uintptr_t>(pointer)); }
  std::string_view key() const { return {key_.data(), end_}; }

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
  // Room for `more` bytes after end_, and 16 to spare for copy_piece's wide stores.
  void reserve(size_t more) {
    if (key_.size() - end_ < more + 16) [[unlikely]]
      grow(more + 16);
  }
  void grow(size_t more);
  void store_number(uint64_t value) {
    std::memcpy(key_.data() + end_, &value, 8);
    end_ += 8;
  }
  // Copies n bytes with a few wide moves, reading no byte outside `from`.
  static void copy_piece(char* to, const char* from, size_t n) {
    if (n >= 16) {
      for (size_t k = 0; k + 16 < n; k += 16) std::memcpy(to + k, from + k, 16);
      std::memcpy(to + n - 16, from + n - 16, 16);
    } else if (n >= 8) {
      uint64_t head, tail;
      std::memcpy(&head, from, 8);
      std::memcpy(&tail, from + n - 8, 8);
      std::memcpy(to, &head, 8);
      std::memcpy(to + n - 8, &tail, 8);
    } else if (n >= 4) {
      uint32_t head, tail;
      std::memcpy(&head, from, 4);
      std::memcpy(&tail, from + n - 4, 4);
      std::memcpy(to, &head, 4);
      std::memcpy(to + n - 4, &tail, 4);
    } else if (n > 0) {
      to[0] = from[0];
      to[n / 2] = from[n / 2];
      to[n - 1] = from[n - 1];
    }
  }

  std::string key_;  // its size is the buffer's capacity; the key is [0, end_)
  size_t end_ = 0;
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
