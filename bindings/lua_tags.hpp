#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <lua.hpp>

namespace lueng::bindings {

using TagViews = std::vector<std::pair<std::string_view, std::string_view>>;

// Reads `{name = value}` tag tables (check's and metric:add's third argument):
// string keys with string, number or boolean values (k6's String, Number and
// Boolean, as their text); any other entry raises a Lua error
// naming `fn` and the tag (as params.tags does), so no tag is dropped unseen, at
// the line of the Lua function `level` calls up (1: the caller of the C
// function). Keeps its buffers from one read to the next, so a VU's steady state
// does not allocate.
class TagTableReader {
 public:
  // The tags of the table at `index`. String views point into the table's own
  // strings and into this reader for numbers (lua_tolstring's converted copy of
  // a number could be collected once off the stack): valid while the table is
  // alive and until the next read.
  const TagViews& read(lua_State* L, int index, const char* fn, int level = 1);

 private:
  TagViews tags_;
  std::string numbers_;
  std::vector<std::pair<size_t, size_t>> number_at_;  // (tag, offset in numbers_)
};

}  // namespace lueng::bindings
