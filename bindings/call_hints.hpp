#pragma once

#include <string>

#include <lua.hpp>

namespace lueng::bindings {

// Lua's "FILE:LINE: attempt to call field 'gett' (a nil value)" made useful when
// the call names a table whose functions include a near miss:
// "FILE:LINE: http.gett is not a function of http (did you mean http.get?)".
// The table is found from the text of that line (`http.gett(`): a module the
// file binds with `x = require "..."` (package.loaded in `L`), else a global.
// Any other message comes back as it is. `script_path` is the script as given,
// whose name Lua may have shortened in the message. Nothing is called in Lua
// (raw reads only), so this cannot fail; answers are cached per thread.
std::string with_call_hint(lua_State* L, const std::string& message,
                           const std::string& script_path);

}  // namespace lueng::bindings
