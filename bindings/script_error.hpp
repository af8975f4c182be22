#pragma once

#include <stdexcept>
#include <string>

namespace lueng::bindings {

// A script that cannot run: syntax error, error in init code or setup(). The
// message starts with "file:line:" when Lua knows where (exit status 107).
class ScriptError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Lua code stopped by a signal (bindings/lua_interrupt.hpp), not by its own error.
class ScriptInterrupted : public ScriptError {
 public:
  ScriptInterrupted() : ScriptError("interrupted") {}
};

}  // namespace lueng::bindings
