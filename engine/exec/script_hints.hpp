#pragma once

#include <string>

namespace lueng::exec {

// Hints for the mistakes of a script's first hour that Lua itself is silent about,
// found in the script's text. Each returns "" when it does not apply.

// `local options = {...}`: lueng reads the global `options`, so a local one is ignored.
std::string local_options_hint(const std::string& script_path);

// Why `function_name` is not a global function of the script: `local function
// default`, or (for "default" with -u/-d/-i) the command-line shortcuts replacing
// options.scenarios whose exec functions have other names.
std::string missing_function_hint(const std::string& script_path, const std::string& function_name,
                                  bool shortcuts_given);

}  // namespace lueng::exec
