#pragma once

#include <lua.hpp>

namespace lueng::bindings {

class ScriptState;

// Replaces math.random and math.randomseed of L, which belongs to `state`, with
// lueng's generators: the running VU's, or the state's own outside VUs. Lua 5.1's
// semantics stay: random() in [0, 1), random(m) in [1, m], random(m, n) in [m, n].
void install_random(lua_State* L, ScriptState& state);

// The ScriptState that L belongs to (install_random registered it), or null.
ScriptState* script_state_of(lua_State* L);

// lueng.random_seed(n), k6's randomSeed(): in init code, fixes the run seed.
int lueng_random_seed(lua_State* L);

}  // namespace lueng::bindings
