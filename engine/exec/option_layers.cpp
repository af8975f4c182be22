#include "engine/exec/option_layers.hpp"

#include <array>
#include <string_view>

#include "engine/common/json_parse.hpp"
#include "engine/exec/option_values.hpp"

namespace lueng::exec {

namespace {

// The options that shape the load: a level setting one replaces all four below it.
constexpr std::array<std::string_view, 4> kLoadShape = {"duration", "iterations", "stages",
                                                        "scenarios"};

bool shapes_load(const std::string& key) {
  for (std::string_view shape : kLoadShape)
    if (key == shape) return true;
  return false;
}

// Const iterators throughout: RapidJSON's mutable ones compare ambiguously in C++20.
void remove_option(rapidjson::Value& options, const std::string& camel) {
  const rapidjson::Value& read = options;
  for (auto it = read.MemberBegin(); it != read.MemberEnd();)
    if (to_camel(it->name.GetString()) == camel)
      it = options.EraseMember(it);
    else
      ++it;
}

rapidjson::Value* find_option(rapidjson::Value& options, const std::string& camel) {
  const rapidjson::Value& read = options;
  for (auto it = read.MemberBegin(); it != read.MemberEnd(); ++it)
    if (to_camel(it->name.GetString()) == camel)
      return &(options.MemberBegin() + (it - read.MemberBegin()))->value;
  return nullptr;
}

void merge_tags(rapidjson::Value& into, const rapidjson::Value& tags,
                rapidjson::Document::AllocatorType& allocator) {
  for (const auto& tag : tags.GetObject()) {
    into.RemoveMember(tag.name.GetString());
    into.AddMember(rapidjson::Value(tag.name, allocator), rapidjson::Value(tag.value, allocator),
                   allocator);
  }
}

}  // namespace

ConsolidatedOptions consolidate_options(const std::vector<OptionLevel>& levels) {
  ConsolidatedOptions out;
  rapidjson::Document& merged = out.options;
  auto& allocator = merged.GetAllocator();
  bool any = false;
  merged.SetObject();
  for (const OptionLevel& level : levels) {
    rapidjson::Document parsed;
    if (!parse_json_bounded(level.json, parsed, nullptr) || !parsed.IsObject()) continue;
    const rapidjson::Value& options = parsed;
    bool reshapes = false;
    for (const auto& member : options.GetObject())
      if (!member.value.IsNull() && shapes_load(to_camel(member.name.GetString()))) reshapes = true;
    if (reshapes) {
      if (find_option(merged, "scenarios"))
        out.warnings.push_back("\"" + level.name +
                               "\" level configuration overrode scenarios configuration entirely");
      for (std::string_view shape : kLoadShape) {
        remove_option(merged, std::string(shape));
        out.sources.erase(std::string(shape));
      }
    }
    for (const auto& member : options.GetObject()) {
      if (member.value.IsNull()) continue;  // k6: null leaves the option unset
      any = true;
      std::string key = to_camel(member.name.GetString());
      rapidjson::Value* tags = key == "tags" ? find_option(merged, key) : nullptr;
      if (tags && tags->IsObject() && member.value.IsObject()) {
        merge_tags(*tags, member.value, allocator);
      } else {
        remove_option(merged, key);
        merged.AddMember(rapidjson::Value(member.name, allocator),
                         rapidjson::Value(member.value, allocator), allocator);
      }
      auto source = level.sources.find(key);
      if (source != level.sources.end())
        out.sources[key] = source->second;
      else if (!level.source.empty())
        out.sources[key] = level.source;
      else
        out.sources.erase(key);
    }
  }
  if (!any) merged.SetNull();
  return out;
}

std::string with_option_sources(const std::string& message,
                                const std::map<std::string, std::string>& sources) {
  auto is_name_char = [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
  };
  // A message about the options as a whole ("options: iterations (3) must not be
  // fewer than vus (7)") names them as bare words.
  bool whole = message.starts_with("options: ");
  auto names = [&](const std::string& key) {
    for (const std::string& form : {"options." + key, "`" + key + "`", key}) {
      if (form == key && !whole) break;
      for (size_t at = message.find(form); at != std::string::npos;
           at = message.find(form, at + 1)) {
        size_t end = at + form.size();
        bool starts = form != key || at == 0 || !is_name_char(message[at - 1]);
        if (starts && (end == message.size() || !is_name_char(message[end]))) return true;
      }
    }
    return false;
  };
  std::string note;
  for (const auto& [key, source] : sources)
    if (names(key)) note += (note.empty() ? "" : ", ") + key + " set by " + source;
  return note.empty() ? message : message + " (" + note + ")";
}

}  // namespace lueng::exec
