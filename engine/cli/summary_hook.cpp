#include "engine/cli/summary_hook.hpp"

#include <cstdio>

#include <rapidjson/document.h>

#include "engine/common/json_parse.hpp"
#include "engine/common/text_file.hpp"

namespace lueng::cli {

namespace {

const char* json_type_name(const rapidjson::Value& value) {
  if (value.IsNull()) return "nil";
  if (value.IsBool()) return "a boolean";
  if (value.IsNumber()) return "a number";
  if (value.IsString()) return "a string";
  return "a table";
}

}  // namespace

std::string read_summary_hook_output(const std::string& json, SummaryHookOutput& out) {
  rapidjson::Document document;
  if (json.empty() || !parse_json_bounded(json, document, nullptr) || document.IsNull()) return "";
  // An empty Lua table is encoded as an empty list.
  if (document.IsArray() && document.Empty()) return "";
  if (!document.IsObject())
    return std::string("handleSummary() must return a table of name = text, not ") +
           json_type_name(document);
  for (const auto& member : document.GetObject()) {
    std::string name(member.name.GetString(), member.name.GetStringLength());
    if (!member.value.IsString())
      return "handleSummary(): the value of '" + name + "' must be a string, not " +
             json_type_name(member.value);
    std::string text(member.value.GetString(), member.value.GetStringLength());
    if (name == "stdout")
      out.stdout_text = std::move(text);
    else if (name == "stderr")
      out.stderr_text = std::move(text);
    else if (name.empty())
      return "handleSummary(): a file name is empty";
    else
      out.files.emplace_back(std::move(name), std::move(text));
  }
  return "";
}

std::vector<std::string> write_summary_hook_files(const SummaryHookOutput& out) {
  std::vector<std::string> problems;
  if (out.stderr_text) {
    fputs(out.stderr_text->c_str(), stderr);
    fflush(stderr);
  }
  for (const auto& [path, text] : out.files) {
    std::string error;
    if (!write_text_file(path, text, &error)) problems.push_back("handleSummary(): " + error);
  }
  return problems;
}

}  // namespace lueng::cli
