#include "bindings/http_response_callback.hpp"

#include <cmath>
#include <new>

namespace lueng::bindings {

namespace {

constexpr const char* kStatusesType = "lueng.ExpectedStatuses";
const char kSettingKey = 0;  // address used as a registry key

bool is_integer(lua_State* L, int index) {
  if (lua_type(L, index) != LUA_TNUMBER) return false;
  double number = lua_tonumber(L, index);
  return number == std::floor(number) && std::fabs(number) < 1e9;
}

int statuses_gc(lua_State* L) {
  static_cast<exec::ExpectedStatuses*>(lua_touserdata(L, 1))->~ExpectedStatuses();
  return 0;
}

int setting_gc(lua_State* L) {
  static_cast<ResponseCallbackSetting*>(lua_touserdata(L, 1))->~ResponseCallbackSetting();
  return 0;
}

const exec::ExpectedStatuses* to_statuses(lua_State* L, int index) {
  return static_cast<const exec::ExpectedStatuses*>(luaL_testudata(L, index, kStatusesType));
}

}  // namespace

ResponseCallbackSetting& response_callback_setting(lua_State* L) {
  lua_pushlightuserdata(L, const_cast<char*>(&kSettingKey));
  lua_rawget(L, LUA_REGISTRYINDEX);
  auto* setting = static_cast<ResponseCallbackSetting*>(lua_touserdata(L, -1));
  lua_pop(L, 1);
  if (setting) return *setting;
  lua_pushlightuserdata(L, const_cast<char*>(&kSettingKey));
  setting = new (lua_newuserdata(L, sizeof(ResponseCallbackSetting))) ResponseCallbackSetting();
  lua_createtable(L, 0, 1);
  lua_pushcfunction(L, setting_gc);
  lua_setfield(L, -2, "__gc");
  lua_setmetatable(L, -2);
  lua_rawset(L, LUA_REGISTRYINDEX);
  return *setting;
}

int http_expected_statuses(lua_State* L) {
  int count = lua_gettop(L);
  if (count == 0) return luaL_error(L, "http.expectedStatuses: no arguments");
  auto* statuses =
      new (lua_newuserdata(L, sizeof(exec::ExpectedStatuses))) exec::ExpectedStatuses();
  if (luaL_newmetatable(L, kStatusesType)) {
    lua_pushcfunction(L, statuses_gc);
    lua_setfield(L, -2, "__gc");
  }
  lua_setmetatable(L, -2);
  for (int i = 1; i <= count; ++i) {
    if (is_integer(L, i)) {
      int code = static_cast<int>(lua_tonumber(L, i));
      statuses->ranges.emplace_back(code, code);
      continue;
    }
    if (!lua_istable(L, i))
      return luaL_error(L,
                        "http.expectedStatuses: argument number %d to expectedStatuses was "
                        "neither an integer nor an object like {min:100, max:329}",
                        i);
    lua_getfield(L, i, "min");
    lua_getfield(L, i, "max");
    if (lua_isnil(L, -2) || lua_isnil(L, -1))
      return luaL_error(L,
                        "http.expectedStatuses: argument number %d to expectedStatuses was "
                        "neither an integer nor an object like {min:100, max:329}",
                        i);
    if (!is_integer(L, -2) || !is_integer(L, -1))
      return luaL_error(
          L, "http.expectedStatuses: both min and max need to be integers for argument number %d",
          i);
    statuses->ranges.emplace_back(static_cast<int>(lua_tonumber(L, -2)),
                                  static_cast<int>(lua_tonumber(L, -1)));
    lua_pop(L, 2);
  }
  return 1;
}

int http_set_response_callback(lua_State* L) {
  ResponseCallbackSetting& setting = response_callback_setting(L);
  const exec::ExpectedStatuses* statuses = nullptr;
  if (!lua_isnoneornil(L, 1)) {
    statuses = to_statuses(L, 1);
    if (!statuses)
      return luaL_error(L,
                        "http.setResponseCallback: unsupported argument, expected "
                        "http.expectedStatuses");
  }
  if (setting.ref != LUA_NOREF) luaL_unref(L, LUA_REGISTRYINDEX, setting.ref);
  setting.ref = LUA_NOREF;
  setting.expected = statuses;
  setting.judged = statuses != nullptr;
  if (statuses) {
    lua_pushvalue(L, 1);
    setting.ref = luaL_ref(L, LUA_REGISTRYINDEX);
  }
  return 0;
}

void read_response_callback_param(lua_State* L, int index, exec::HttpCall& call, const char* fn) {
  if (lua_isboolean(L, index) && !lua_toboolean(L, index)) {
    call.response_callback = false;
    return;
  }
  const exec::ExpectedStatuses* statuses = to_statuses(L, index);
  if (!statuses)
    luaL_error(L, "%s: unsupported responseCallback (use http.expectedStatuses(...) or false)", fn);
  // Copied: the script's value may be collected while the request is in flight.
  exec::ExpectedStatuses& own = call.rare().own_expected;
  own.ranges.assign(statuses->ranges.begin(), statuses->ranges.end());
  call.expected = &own;
  call.response_callback = true;
}

}  // namespace lueng::bindings
