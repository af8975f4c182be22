#include "engine/exec/script_hints.hpp"

#include <regex>

#include "engine/common/text_file.hpp"

namespace lueng::exec {

namespace {

std::string read_text(const std::string& path) {
  return read_text_file(path).value_or("");
}

}  // namespace

std::string local_options_hint(const std::string& script_path) {
  static const std::regex local_options(R"((^|\n)[ \t]*local[ \t]+options[ \t]*=)");
  if (!std::regex_search(read_text(script_path), local_options)) return "";
  return "`local options = ...` is not read: lueng reads the global `options` (drop the "
         "`local`); the test runs with the default options";
}

std::string missing_function_hint(const std::string& script_path, const std::string& function_name,
                                  bool shortcuts_given) {
  std::string text = read_text(script_path);
  std::regex local_function("(^|\\n)[ \\t]*local[ \\t]+(function[ \\t]+" + function_name + "\\b|" +
                            function_name + "[ \\t]*=[ \\t]*function)");
  if (std::regex_search(text, local_function))
    return "`local function " + function_name + "` is not seen by lueng: drop the `local`";
  static const std::regex exec_name(R"(exec[ \t]*=[ \t]*["']([A-Za-z_][A-Za-z0-9_]*)["'])");
  if (function_name != "default" || !shortcuts_given) return "";
  std::string names;
  for (auto it = std::sregex_iterator(text.begin(), text.end(), exec_name);
       it != std::sregex_iterator(); ++it)
    if (names.find((*it)[1].str()) == std::string::npos)
      names += (names.empty() ? "" : ", ") + (*it)[1].str();
  if (names.empty()) return "";
  return "-u, -d, -i and --stage replace options.scenarios with one scenario running "
         "default(), and this script's scenarios run " +
         names + ": run it without them, or define default()";
}

std::string k6_javascript_hint(std::string_view code) {
  // Line by line, not a regex over the whole text: std::regex recurses per character.
  auto looks_like_k6 = [](std::string_view line) {
    size_t start = line.find_first_not_of(" \t");
    if (start == std::string_view::npos) return false;
    line.remove_prefix(start);
    if (line.starts_with("import ")) return line.find("from") != std::string_view::npos;
    return line.starts_with("export default function") || line.starts_with("export function ") ||
           line.starts_with("export const options") || line.starts_with("export let options");
  };
  for (size_t at = 0; at < code.size();) {
    size_t end = code.find('\n', at);
    if (end == std::string_view::npos) end = code.size();
    if (looks_like_k6(code.substr(at, end - at)))
      return "this looks like a k6 JavaScript script: lueng runs Lua (`local http = require "
             "\"lueng.http\"`, `function default() ... end`, a global `options = { ... }`); "
             "docs/from-k6.md shows each k6 construct in Lua";
    at = end + 1;
  }
  return "";
}

}  // namespace lueng::exec
