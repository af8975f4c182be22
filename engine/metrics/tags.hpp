#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace lueng::metrics {

// A tag set travels as one canonical string: "key\x1fvalue\x1e" per tag, sorted by
// key, each key once. Canonical strings compare and hash as whole tag sets, so
// interning one costs a single hash lookup on the request path. The two
// separators inside a key or value are written as U+FFFD.
inline constexpr char kTagKeyEnd = '\x1f';
inline constexpr char kTagEnd = '\x1e';

// Builds canonical tag sets into a reused buffer: no allocation once warm.
// Views passed to set() must stay valid until encode() returns.
class TagSetBuilder {
 public:
  void clear() { tags_.clear(); }
  // A later value for the same key replaces the earlier one (user tags override defaults).
  void set(std::string_view key, std::string_view value);
  void remove(std::string_view key);
  std::string_view encode();

 private:
  std::vector<std::pair<std::string_view, std::string_view>> tags_;
  std::string encoded_;
};

// Visits the (key, value) pairs of a canonical tag set in key order.
template <typename Visit>
void for_each_tag(std::string_view encoded, Visit&& visit) {
  size_t pos = 0;
  while (pos < encoded.size()) {
    size_t key_end = encoded.find(kTagKeyEnd, pos);
    size_t value_end = key_end == std::string_view::npos ? key_end : encoded.find(kTagEnd, key_end);
    // Not a canonical tag set (TagSetBuilder never makes one): stop instead of
    // starting over at position 0 forever.
    if (value_end == std::string_view::npos) return;
    visit(encoded.substr(pos, key_end - pos), encoded.substr(key_end + 1, value_end - key_end - 1));
    pos = value_end + 1;
  }
}

// The value of one tag, or nothing.
bool find_tag(std::string_view encoded, std::string_view key, std::string_view* value);

// Canonical encoding of arbitrary pairs (any order, later duplicates win).
std::string encode_tags(const std::vector<std::pair<std::string, std::string>>& tags);

// True when every tag of `filter` is present in `tags` with the same value.
bool tags_match(std::string_view tags, std::string_view filter);

}  // namespace lueng::metrics
