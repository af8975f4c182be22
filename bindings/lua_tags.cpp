#include "bindings/lua_tags.hpp"

namespace lueng::bindings {

const TagViews& TagTableReader::read(lua_State* L, int index) {
  if (index < 0) index = lua_gettop(L) + index + 1;
  tags_.clear();
  numbers_.clear();
  number_at_.clear();
  lua_pushnil(L);
  while (lua_next(L, index) != 0) {
    int value_type = lua_type(L, -1);
    if (lua_type(L, -2) == LUA_TSTRING &&
        (value_type == LUA_TSTRING || value_type == LUA_TNUMBER)) {
      size_t key_length, length;
      const char* key = lua_tolstring(L, -2, &key_length);
      // Converts a number in its own stack slot, not lua_next's key.
      const char* value = lua_tolstring(L, -1, &length);
      std::string_view text(value, length);
      if (value_type == LUA_TNUMBER) {
        number_at_.emplace_back(tags_.size(), numbers_.size());
        numbers_.append(value, length);
        text = std::string_view(nullptr, length);  // pointed once numbers_ stops growing
      }
      tags_.emplace_back(std::string_view(key, key_length), text);
    }
    lua_pop(L, 1);
  }
  for (auto [tag, offset] : number_at_)
    tags_[tag].second = std::string_view(numbers_.data() + offset, tags_[tag].second.size());
  return tags_;
}

}  // namespace lueng::bindings
