#pragma once

#include <lua.hpp>

#include "engine/exec/pending_operation.hpp"
#include "engine/exec/vu.hpp"

namespace lueng::bindings {

// A PendingOperation of a Lua module: what its completion returns to the script.
// Every operation a VU waits for is one of these (the modules start them all),
// which is how the runtime's ScriptVu finds the results of the one it resumes.
class LuaOperation : public exec::PendingOperation {
 public:
  // The VU resumes: pushes the operation's results on `L`, the VU's coroutine,
  // and returns how many; they are what the yielding module function returns.
  virtual int push_results(lua_State* L) = 0;

 protected:
  ~LuaOperation() = default;
};

// The end of a module function that starts `operation`: the running VU waits for
// it, and the function yields. `return wait_for(L, vu, operation);`
inline int wait_for(lua_State* L, exec::Vu& vu, LuaOperation& operation) {
  vu.wait_for(operation);
  return lua_yield(L, 0);
}

}  // namespace lueng::bindings
