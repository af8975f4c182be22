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
// the entries with a string key and a string or number value; the rest are
// skipped. Keeps its buffers from one read to the next, so a VU's steady state
// does not allocate.
class TagTableReader {
 public:
  // The tags of the table at `index`. String views point into the table's own
  // strings and into this reader for numbers (lua_tolstring's converted copy of
  // a number could be collected once off the stack): valid while the table is
  // alive and until the next read.
  const TagViews& read(lua_State* L, int index);

 private:
  TagViews tags_;
  std::string numbers_;
  std::vector<std::pair<size_t, size_t>> number_at_;  // (tag, offset in numbers_)
};

}  // namespace lueng::bindings
