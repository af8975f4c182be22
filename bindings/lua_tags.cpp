#include "bindings/lua_tags.hpp"

namespace lueng::bindings {

namespace {
[[noreturn]] void refuse_tag(lua_State* L, int level, const char* fn) {
  luaL_where(L, level);
  if (lua_type(L, -3) != LUA_TSTRING)  // the key, under the value and the place
    lua_pushfstring(L, "%s: tags must map names to values (a %s key)", fn, luaL_typename(L, -3));
  else
    lua_pushfstring(L,
                    "%s: invalid value for metric tag '%s': a %s (strings, numbers and "
                    "booleans are tag values)",
                    fn, lua_tostring(L, -3), luaL_typename(L, -2));
  lua_concat(L, 2);
  lua_error(L);
  __builtin_unreachable();
}
}  // namespace

const TagViews& TagTableReader::read(lua_State* L, int index, const char* fn, int level) {
  if (index < 0) index = lua_gettop(L) + index + 1;
  tags_.clear();
  numbers_.clear();
  number_at_.clear();
  lua_pushnil(L);
  while (lua_next(L, index) != 0) {
    int value_type = lua_type(L, -1);
    if (lua_type(L, -2) != LUA_TSTRING ||
        (value_type != LUA_TSTRING && value_type != LUA_TNUMBER && value_type != LUA_TBOOLEAN))
      refuse_tag(L, level, fn);
    size_t key_length, length;
    const char* key = lua_tolstring(L, -2, &key_length);
    if (value_type == LUA_TBOOLEAN) {  // as k6 takes a Boolean: its text
      tags_.emplace_back(std::string_view(key, key_length), lua_toboolean(L, -1)
                                                                ? std::string_view("true")
                                                                : std::string_view("false"));
    } else {
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
