// JSON from outside into Lua and back, as res:json(), lueng.json.decode and
// lueng.json.encode do (bindings/lua_json.cpp on engine/common/json_parse.cpp).
//
// Checked besides crashes: what decodes encodes again (plain and with
// escape_non_ascii), the text encode writes is JSON, the escaped text is ASCII
// and means the same as the plain one, and the Lua stack is left as found.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include <lua.hpp>

#include "bindings/lua_json.hpp"
#include "engine/common/json_parse.hpp"

using namespace lueng;

namespace {

lua_State* state() {
  static lua_State* L = [] {
    lua_State* s = luaL_newstate();
    luaL_openlibs(s);
    return s;
  }();
  return L;
}

rapidjson::Document parse_or_abort(const std::string& text) {
  rapidjson::Document document;
  if (!parse_json_bounded(text, document, nullptr)) std::abort();
  return document;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  lua_State* L = state();
  lua_settop(L, 0);
  std::string error;
  if (!bindings::push_json_text(L, text, &error)) {
    if (error.empty() || lua_gettop(L) != 0) std::abort();
    return 0;
  }
  if (lua_gettop(L) != 1) std::abort();

  std::string plain, escaped;
  bool plain_ok = bindings::lua_to_json(L, 1, plain, &error);
  bool escaped_ok = bindings::lua_to_json(L, 1, escaped, &error, {.escape_non_ascii = true});
  if (lua_gettop(L) != 1) std::abort();
  // Decoded values are never deeper than the bound both directions share, and
  // hold nothing JSON cannot: the plain encoding always works.
  if (!plain_ok) std::abort();
  rapidjson::Document plain_document = parse_or_abort(plain);
  if (escaped_ok) {
    for (unsigned char c : escaped)
      if (c >= 0x80) std::abort();
    if (parse_or_abort(escaped) != plain_document) std::abort();
  }

  // The encoded text decodes to a value that encodes to the same JSON value.
  lua_settop(L, 0);
  if (!bindings::push_json_text(L, plain, &error)) std::abort();
  std::string again;
  if (!bindings::lua_to_json(L, 1, again, &error)) std::abort();
  if (parse_or_abort(again) != plain_document) std::abort();
  lua_settop(L, 0);
  lua_gc(L, LUA_GCSTEP, 0);
  return 0;
}
