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
// A lookup first compares the inputs, piece by piece, with the key of the
// entry the caller hit last (its hint), in place; only when they differ does it
// build a key from the inputs into a reused buffer and look for it in the entry
// its hash maps to. Entries are only ever replaced, never trusted without comparing the
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

  // Compares pieces, given as to add(), with the key of the entry `hint` names,
  // without building a key: a VU's sample usually has the inputs of its last.
  class Probe {
   public:
    void add(std::string_view piece) {
      add_number(piece.size());
      if (!ok_) return;
      if (static_cast<size_t>(end_ - at_) < piece.size() ||
          !equal_bytes(at_, piece.data(), piece.size()))
        ok_ = false;
      else
        at_ += piece.size();
    }
    void add_number(uint64_t value) {
      if (!ok_) return;
      if (end_ - at_ < 8 || std::memcmp(at_, &value, 8) != 0)
        ok_ = false;
      else
        at_ += 8;
    }
    void add_pointer(const void* pointer) { add_number(reinterpret_cast<uintptr_t>(pointer)); }
    // The entry's key is exactly the pieces given.
    bool matched() const { return ok_ && at_ == end_; }

   private:
    friend class TagSetMemo;
    Probe(const char* at, const char* end, bool ok) : at_(at), end_(end), ok_(ok) {}
    const char* at_;
    const char* end_;
    bool ok_;
  };
  Probe probe(uint32_t hint, char kind) const {
    if (hint >= entries_.size()) return {nullptr, nullptr, false};
    const std::string& key = entries_[hint].key;
    return {key.data() + 1, key.data() + key.size(), !key.empty() && key[0] == kind};
  }
  TagSetId id_at(uint32_t hint) const { return entries_[hint].id; }

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
  // Compares n bytes with a few wide loads, reading no byte outside either.
  static bool equal_bytes(const char* a, const char* b, size_t n) {
    if (n >= 16) {
      for (size_t k = 0; k + 16 < n; k += 16)
        if (std::memcmp(a + k, b + k, 16) != 0) return false;
      return std::memcmp(a + n - 16, b + n - 16, 16) == 0;
    }
    if (n >= 8) return std::memcmp(a, b, 8) == 0 && std::memcmp(a + n - 8, b + n - 8, 8) == 0;
    if (n >= 4) return std::memcmp(a, b, 4) == 0 && std::memcmp(a + n - 4, b + n - 4, 4) == 0;
    return n == 0 || (a[0] == b[0] && a[n / 2] == b[n / 2] && a[n - 1] == b[n - 1]);
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

template <typename Pieces, typename Build>
[[gnu::noinline]] TagSetId memo_build_and_intern(TagSetMemo& memo, char kind, uint32_t* hint,
                                                 Sink& sink, Pieces& pieces, Build& build) {
  memo.begin(kind);
  pieces(memo);
  return memo_intern(memo, hint, sink, build);
}

// The same, with the key's pieces given by `pieces(to)`, which adds them to `to`
// (a TagSetMemo::Probe or the memo itself) in one order: compared with the
// hinted entry in place first, a key built only when they differ.
template <typename Pieces, typename Build>
TagSetId memo_intern(TagSetMemo& memo, char kind, uint32_t* hint, Sink& sink, Pieces&& pieces,
                     Build&& build) {
  TagSetMemo::Probe probe = memo.probe(*hint, kind);
  pieces(probe);
  if (probe.matched()) [[likely]]
    return memo.id_at(*hint);
  return memo_build_and_intern(memo, kind, hint, sink, pieces, build);
}

}  // namespace lueng::metrics
