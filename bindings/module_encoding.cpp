// require "lueng.encoding": base64 in k6's four flavours, percent-encoding and
// application/x-www-form-urlencoded bodies.
#include <algorithm>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "bindings/codec.hpp"
#include "bindings/modules.hpp"

namespace lueng::bindings {

namespace {

codec::Base64Variant check_variant(lua_State* L, int index, const char* function) {
  const char* name = luaL_optstring(L, index, "std");
  auto variant = codec::parse_base64_variant(name);
  if (!variant)
    luaL_error(L, "encoding.%s: unknown variant '%s' (std, rawstd, url or rawurl)", function, name);
  return *variant;
}

void push_string(lua_State* L, const std::string& text) {
  lua_pushlstring(L, text.data(), text.size());
}

std::string_view check_bytes(lua_State* L, int index) {
  size_t length;
  const char* text = luaL_checklstring(L, index, &length);
  return {text, length};
}

int b64encode(lua_State* L) {
  push_string(L, codec::base64_encode(check_bytes(L, 1), check_variant(L, 2, "b64encode")));
  return 1;
}

int b64decode(lua_State* L) {
  std::string_view text = check_bytes(L, 1);
  size_t offset = 0;
  auto bytes = codec::base64_decode(text, check_variant(L, 2, "b64decode"), &offset);
  if (!bytes)
    return luaL_error(L, "encoding.b64decode: invalid base64 at offset %d",
                      static_cast<int>(offset));
  push_string(L, *bytes);
  return 1;
}

int url_encode(lua_State* L) {
  push_string(L, codec::url_encode(check_bytes(L, 1)));
  return 1;
}

int url_decode_with(lua_State* L, std::string_view text, bool plus_as_space, const char* function) {
  size_t offset = 0;
  auto decoded = codec::url_decode(text, plus_as_space, &offset);
  if (!decoded)
    return luaL_error(L, "encoding.%s: '%%' not followed by two hex digits at offset %d", function,
                      static_cast<int>(offset));
  push_string(L, *decoded);
  return 1;
}

int url_decode(lua_State* L) {
  return url_decode_with(L, check_bytes(L, 1), false, "url_decode");
}

// The text of a scalar form value, or a Lua error naming the key.
std::string form_scalar(lua_State* L, int index, const std::string& key) {
  switch (lua_type(L, index)) {
    case LUA_TSTRING:
      return std::string(check_bytes(L, index));
    case LUA_TNUMBER: {
      lua_pushvalue(L, index);  // tolstring converts in place; keep the table's value a number
      std::string text = lua_tostring(L, -1);
      lua_pop(L, 1);
      return text;
    }
    case LUA_TBOOLEAN:
      return lua_toboolean(L, index) ? "true" : "false";
    default:
      luaL_error(L,
                 "encoding.form_encode: the value of '%s' is a %s (string, number, boolean "
                 "or a list of those)",
                 key.c_str(), luaL_typename(L, index));
      return {};
  }
}

// form_encode({ key = value | { value, ... } }): keys in byte order, list values
// as repeated keys in list order, spaces as '+'.
int form_encode(lua_State* L) {
  luaL_checktype(L, 1, LUA_TTABLE);
  std::vector<std::pair<std::string, std::string>> fields;
  lua_pushnil(L);
  while (lua_next(L, 1) != 0) {
    if (lua_type(L, -2) != LUA_TSTRING && lua_type(L, -2) != LUA_TNUMBER)
      return luaL_error(L, "encoding.form_encode: keys must be strings or numbers");
    lua_pushvalue(L, -2);
    std::string key = lua_tostring(L, -1);
    lua_pop(L, 1);
    if (lua_istable(L, -1)) {
      size_t count = lua_objlen(L, -1);
      for (size_t i = 1; i <= count; ++i) {
        lua_rawgeti(L, -1, static_cast<int>(i));
        fields.emplace_back(key, form_scalar(L, lua_gettop(L), key));
        lua_pop(L, 1);
      }
    } else {
      fields.emplace_back(key, form_scalar(L, lua_gettop(L), key));
    }
    lua_pop(L, 1);
  }
  // Stable: a list's values keep their order under one key.
  std::stable_sort(fields.begin(), fields.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  std::string body;
  for (const auto& [key, value] : fields) {
    if (!body.empty()) body.push_back('&');
    body += codec::url_encode(key, true);
    body.push_back('=');
    body += codec::url_encode(value, true);
  }
  push_string(L, body);
  return 1;
}

// form_decode("a=1&b=x+y&a=2") → { a = { "1", "2" }, b = "x y" }
int form_decode(lua_State* L) {
  std::string_view body = check_bytes(L, 1);
  lua_newtable(L);
  int result = lua_gettop(L);
  while (!body.empty()) {
    size_t amp = body.find('&');
    std::string_view pair = body.substr(0, amp);
    body = amp == std::string_view::npos ? std::string_view() : body.substr(amp + 1);
    if (pair.empty()) continue;
    size_t equals = pair.find('=');
    std::string_view key = pair.substr(0, equals);
    std::string_view value = equals == std::string_view::npos ? "" : pair.substr(equals + 1);
    url_decode_with(L, key, true, "form_decode");
    url_decode_with(L, value, true, "form_decode");
    lua_pushvalue(L, -2);
    lua_rawget(L, result);
    if (lua_isnil(L, -1)) {
      lua_pop(L, 1);
      lua_rawset(L, result);
    } else if (lua_istable(L, -1)) {  // third and later values of a key
      lua_insert(L, -2);
      lua_rawseti(L, -2, static_cast<int>(lua_objlen(L, -2) + 1));
      lua_pop(L, 2);
    } else {  // a second value: the key becomes a list
      lua_createtable(L, 2, 0);
      lua_insert(L, -2);
      lua_rawseti(L, -2, 1);
      lua_insert(L, -2);
      lua_rawseti(L, -2, 2);
      lua_rawset(L, result);
    }
  }
  return 1;
}

}  // namespace

int open_encoding(lua_State* L) {
  const luaL_Reg functions[] = {
      {"b64encode", b64encode},   {"b64decode", b64decode},     {"url_encode", url_encode},
      {"url_decode", url_decode}, {"form_encode", form_encode}, {"form_decode", form_decode},
      {nullptr, nullptr}};
  lua_newtable(L);
  luaL_register(L, nullptr, functions);
  return 1;
}

}  // namespace lueng::bindings
