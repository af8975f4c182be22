#pragma once

#include <string>
#include <string_view>

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

// A k6 script given to lueng as it is (`import http from 'k6/http'`, `export default
// function`): Lua's syntax error says nothing of why, so the load error adds this.
std::string k6_javascript_hint(std::string_view code);

}  // namespace lueng::exec
