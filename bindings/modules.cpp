// The registry of Lua modules written in C++: what require "lueng..." finds.
//
// Adding a module is one file, bindings/module_<name>.cpp, which defines
// `int open_<name>(lua_State* L)` in lueng::bindings (it pushes the module's
// table), and one line in LUENG_MODULES below, which declares it and registers it
// (docs/architecture.md, How to add a Lua module).
#include "bindings/modules.hpp"

#include "engine/exec/vu.hpp"

// Every module: the name require takes and the function that opens it. Every
// line ends the same way, so adding one anywhere is that line alone.
#define LUENG_MODULES(X)             \
  X("lueng", open_lueng)             \
  X("lueng.crypto", open_crypto)     \
  X("lueng.data", open_data)         \
  X("lueng.encoding", open_encoding) \
  X("lueng.http", open_http)         \
  X("lueng.json", open_json)         \
  X("lueng.metrics", open_metrics)   \
  /* end of the list */

namespace lueng::bindings {

#define LUENG_DECLARE_MODULE(name, open) int open(lua_State* L);
LUENG_MODULES(LUENG_DECLARE_MODULE)

void register_modules(lua_State* L) {
  lua_getglobal(L, "package");
  lua_getfield(L, -1, "preload");
#define LUENG_PRELOAD_MODULE(name, open) \
  lua_pushcfunction(L, open);            \
  lua_setfield(L, -2, name);
  LUENG_MODULES(LUENG_PRELOAD_MODULE)
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
