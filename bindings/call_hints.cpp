#include "bindings/call_hints.hpp"

#include <regex>
#include <sstream>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "engine/common/closest_name.hpp"
#include "engine/common/text_file.hpp"

namespace lueng::bindings {

namespace {

// std::regex recurses per character: longer lines (data, minified code) are not read.
constexpr size_t kLongestLine = 4096;

std::string line_of(const std::string& text, long number) {
  std::istringstream in(text);
  std::string line;
  for (long i = 1; std::getline(in, line); ++i)
    if (i == number) return line;
  return "";
}

// The file a message's "FILE:" part names: Lua shortens long names to
// "...tail", which the script's own path ends with.
std::string file_named(std::string chunk, const std::string& script_path) {
  if (chunk.starts_with("...")) chunk.erase(0, 3);
  if (script_path.ends_with(chunk)) return script_path;
  return chunk;
}

// Pushes the value `chain` ("http", "hotel.whatsapp") names in `text`'s file:
// the module its first name is bound to by require, else a global; then each
// further field. Raw reads only: no metamethod runs. Nil when nothing is found.
void push_named(lua_State* L, const std::string& text, const std::string& chain) {
  std::vector<std::string> names;
  std::stringstream parts(chain);
  for (std::string part; std::getline(parts, part, '.');) names.push_back(part);
  std::regex bound("(^|[^A-Za-z0-9_.])" + names[0] +
                   R"([ \t]*=[ \t]*require[ \t]*\(?[ \t]*["']([^"']+)["'])");
  std::string module;
  std::istringstream lines(text);
  for (std::string line; module.empty() && std::getline(lines, line);) {
    std::smatch match;
    if (line.size() <= kLongestLine && std::regex_search(line, match, bound)) module = match[2];
  }
  if (!module.empty()) {
    lua_getfield(L, LUA_REGISTRYINDEX, "_LOADED");
    if (lua_istable(L, -1)) {
      lua_pushstring(L, module.c_str());
      lua_rawget(L, -2);
    } else {
      lua_pushnil(L);
    }
    lua_remove(L, -2);
  } else {
    lua_pushstring(L, names[0].c_str());
    lua_rawget(L, LUA_GLOBALSINDEX);
  }
  for (size_t i = 1; i < names.size(); ++i) {
    if (!lua_istable(L, -1)) break;
    lua_pushstring(L, names[i].c_str());
    lua_rawget(L, -2);
    lua_remove(L, -2);
  }
}

// The names of the functions of the table on top of the stack (popped).
std::vector<std::string> function_names(lua_State* L) {
  std::vector<std::string> names;
  if (lua_istable(L, -1)) {
    lua_pushnil(L);
    while (lua_next(L, -2) != 0) {
      if (lua_type(L, -2) == LUA_TSTRING && lua_isfunction(L, -1))
        names.emplace_back(lua_tostring(L, -2));
      lua_pop(L, 1);
    }
  }
  lua_pop(L, 1);
  return names;
}

std::string hint_for(lua_State* L, const std::string& message, const std::string& script_path) {
  static const std::regex call_error(
      R"(^(.*):([0-9]{1,9}): attempt to call (field|method) '([A-Za-z_][A-Za-z0-9_]*)' \(a nil value\)$)");
  std::smatch error;
  if (!std::regex_match(message, error, call_error)) return message;
  std::string text = read_text_file(file_named(error[1].str(), script_path)).value_or("");
  std::string line = line_of(text, std::stol(error[2].str()));
  if (line.size() > kLongestLine) return message;
  std::string field = error[4].str();
  std::regex call("([A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*)*)[ \\t]*([.:])[ \\t]*" +
                  field + "[ \\t]*[(\"'{]");
  std::smatch at;
  if (!std::regex_search(line, at, call)) return message;
  std::string chain = at[1].str(), separator = at[3].str();

  int top = lua_gettop(L);
  push_named(L, text, chain);
  std::vector<std::string> names = function_names(L);
  lua_settop(L, top);
  std::vector<std::string_view> candidates(names.begin(), names.end());
  std::string near = closest_name(field, candidates);
  if (near.empty()) return message;
  return error[1].str() + ":" + error[2].str() + ": " + chain + separator + field +
         " is not a function of " + chain + " (did you mean " + chain + separator + near + "?)";
}

}  // namespace

std::string with_call_hint(lua_State* L, const std::string& message,
                           const std::string& script_path) {
  // Lua's own messages are short; std::regex recurses per character of a long one.
  if (message.size() > 1024 || message.find("attempt to call ") == std::string::npos)
    return message;
  // A failing iteration fails the same way many times a second: read the file once.
  thread_local std::unordered_map<std::string, std::string> known;
  if (auto it = known.find(message); it != known.end()) return it->second;
  std::string hinted = hint_for(L, message, script_path);
  if (known.size() < 64) known.emplace(message, hinted);
  return hinted;
}

}  // namespace lueng::bindings
