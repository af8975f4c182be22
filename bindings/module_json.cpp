// require "lueng.json": encode/decode with RapidJSON.
#include <string>

#include "bindings/lua_json.hpp"
#include "bindings/modules.hpp"

namespace lueng::bindings {

namespace {

int json_encode(lua_State* L) {
  luaL_checkany(L, 1);
  JsonEncodeOptions options;
  if (lua_istable(L, 2)) {
    lua_getfield(L, 2, "escape_non_ascii");
    options.escape_non_ascii = lua_toboolean(L, -1);
    lua_pop(L, 1);
  }
  std::string out, error;
  if (!lua_to_json(L, 1, out, &error, options))
    return luaL_error(L, "json.encode: %s", error.c_str());
  lua_pushlstring(L, out.data(), out.size());
  return 1;
}

int json_decode(lua_State* L) {
  size_t length;
  const char* text = luaL_checklstring(L, 1, &length);
  std::string error;
  if (!push_json_text(L, {text, length}, &error))
    return luaL_error(L, "json.decode: %s", error.c_str());
  return 1;
}

}  // namespace

int open_json(lua_State* L) {
  const luaL_Reg functions[] = {
      {"encode", json_encode}, {"decode", json_decode}, {nullptr, nullptr}};
  lua_newtable(L);
  luaL_register(L, nullptr, functions);
  return 1;
}

}  // namespace lueng::bindings
