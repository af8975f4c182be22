#include "engine/metrics/tags.hpp"

#include <algorithm>

namespace lueng::metrics {

namespace {

// A separator inside a key or value would split the tag set in the wrong place
// (a value ending a tag early left the rest unreadable, and the readers looped
// forever on it): such a character, never in real tags, is written as U+FFFD.
void append_escaped(std::string& out, std::string_view text) {
  static constexpr char kSeparators[] = {kTagKeyEnd, kTagEnd, '\0'};
  for (size_t bad = text.find_first_of(kSeparators); bad != std::string_view::npos;
       bad = text.find_first_of(kSeparators)) {
    out.append(text.substr(0, bad));
    out.append("\xEF\xBF\xBD");
    text.remove_prefix(bad + 1);
  }
  out.append(text);
}

}  // namespace

void TagSetBuilder::set(std::string_view key, std::string_view value) {
  for (auto& tag : tags_) {
    if (tag.first == key) {
      tag.second = value;
      return;
    }
  }
  tags_.emplace_back(key, value);
}

void TagSetBuilder::remove(std::string_view key) {
  std::erase_if(tags_, [key](const auto& tag) { return tag.first == key; });
}

std::string_view TagSetBuilder::encode() {
  // Insertion sort: tag sets are small and usually arrive almost sorted.
  for (size_t i = 1; i < tags_.size(); ++i)
    for (size_t j = i; j > 0 && tags_[j].first < tags_[j - 1].first; --j)
      std::swap(tags_[j], tags_[j - 1]);
  encoded_.clear();
  for (const auto& [key, value] : tags_) {
    append_escaped(encoded_, key);
    encoded_.push_back(kTagKeyEnd);
    append_escaped(encoded_, value);
    encoded_.push_back(kTagEnd);
  }
  return encoded_;
}

bool find_tag(std::string_view encoded, std::string_view key, std::string_view* value) {
  bool found = false;
  for_each_tag(encoded, [&](std::string_view k, std::string_view v) {
    if (!found && k == key) {
      *value = v;
      found = true;
    }
  });
  return found;
}

std::string encode_tags(const std::vector<std::pair<std::string, std::string>>& tags) {
  TagSetBuilder builder;
  for (const auto& [key, value] : tags) builder.set(key, value);
  return std::string(builder.encode());
}

bool tags_match(std::string_view tags, std::string_view filter) {
  bool all = true;
  for_each_tag(filter, [&](std::string_view key, std::string_view want) {
    std::string_view have;
    if (!find_tag(tags, key, &have) || have != want) all = false;
  });
  return all;
}

}  // namespace lueng::metrics
