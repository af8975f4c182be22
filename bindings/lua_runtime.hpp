#pragma once

#include <memory>

#include "engine/exec/script.hpp"

namespace lueng::bindings {

// lueng's script runtime: LuaJIT states (ScriptState) with the lueng modules, the
// script loaded once per state, a coroutine per VU. engine/cli gives it to
// TestRun; the engine sees only exec's interfaces (engine/exec/script.hpp).
std::shared_ptr<const exec::ScriptRuntime> lua_runtime();

}  // namespace lueng::bindings
