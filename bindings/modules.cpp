#include "bindings/modules.hpp"

#include "engine/exec/vu.hpp"

namespace lueng::bindings {

void register_modules(lua_State* L) {
  lua_getglobal(L, "package");
  lua_getfield(L, -1, "preload");
  const luaL_Reg modules[] = {
      {"lueng", open_lueng},     {"lueng.crypto", open_crypto}, {"lueng.encoding", open_encoding},
      {"lueng.http", open_http}, {"lueng.json", open_json},     {"lueng.metrics", open_metrics}};
  for (const auto& module : modules) {
    lua_pushcfunction(L, module.func);
    lua_setfield(L, -2, module.name);
  }
  lua_pop(L, 2);
}

exec::Vu& running_vu(lua_State* L, const char* what) {
  exec::Vu* vu = exec::Vu::running();
  if (!vu)
    luaL_error(L,
               "%s can only be called while a VU runs (setup, teardown and exec functions), "
               "not in the script's top-level code",
               what);
  return *vu;
}

}  // namespace lueng::bindings
