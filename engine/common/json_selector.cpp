#include "engine/common/json_selector.hpp"

#include <charconv>
#include <string>

namespace lueng {

namespace {

// The next component of `path` (from `pos`), unescaped into `key`; `pattern` says
// whether it holds an unescaped '*' or '?'. pos moves past the dot.
void next_component(std::string_view path, size_t& pos, std::string& key, bool& pattern) {
  key.clear();
  pattern = false;
  while (pos < path.size() && path[pos] != '.') {
    char c = path[pos++];
    if (c == '\\' && pos < path.size()) {
      c = path[pos++];
      key += '\\';  // kept so that matching sees it as literal
      key += c;
      continue;
    }
    if (c == '*' || c == '?') pattern = true;
    key += c;
  }
  if (pos < path.size()) ++pos;  // the dot
}

std::string unescape(std::string_view key) {
  std::string out;
  for (size_t i = 0; i < key.size(); ++i) {
    if (key[i] == '\\' && i + 1 < key.size()) ++i;
    out += key[i];
  }
  return out;
}

// GJSON's wildcard match: '*' any run, '?' one character, '\x' a literal x.
bool wildcard_match(std::string_view text, std::string_view pattern) {
  if (pattern.empty()) return text.empty();
  char p = pattern[0];
  if (p == '*') {
    for (size_t skip = 0; skip <= text.size(); ++skip)
      if (wildcard_match(text.substr(skip), pattern.substr(1))) return true;
    return false;
  }
  if (text.empty()) return false;
  if (p == '?') return wildcard_match(text.substr(1), pattern.substr(1));
  if (p == '\\' && pattern.size() > 1) {
    if (text[0] != pattern[1]) return false;
    return wildcard_match(text.substr(1), pattern.substr(2));
  }
  if (text[0] != p) return false;
  return wildcard_match(text.substr(1), pattern.substr(1));
}

const rapidjson::Value* member(const rapidjson::Value& object, const std::string& key,
                               bool pattern) {
  if (!object.IsObject()) return nullptr;
  std::string plain = pattern ? std::string() : unescape(key);
  for (auto it = object.MemberBegin(); it != object.MemberEnd(); ++it) {
    std::string_view name(it->name.GetString(), it->name.GetStringLength());
    if (pattern ? wildcard_match(name, key) : name == plain) return &it->value;
  }
  return nullptr;
}

const rapidjson::Value* step(const rapidjson::Value& value, const std::string& key, bool pattern) {
  if (value.IsArray()) {
    if (pattern || key.empty()) return nullptr;
    size_t index = 0;
    auto [end, error] = std::from_chars(key.data(), key.data() + key.size(), index);
    if (error != std::errc() || end != key.data() + key.size()) return nullptr;
    return index < value.Size() ? &value[static_cast<rapidjson::SizeType>(index)] : nullptr;
  }
  return member(value, key, pattern);
}

const rapidjson::Value* select_from(const rapidjson::Value& root, std::string_view path,
                                    rapidjson::Document& scratch, rapidjson::Value& out) {
  const rapidjson::Value* current = &root;
  size_t pos = 0;
  std::string key;
  bool pattern = false;
  while (pos < path.size()) {
    next_component(path, pos, key, pattern);
    if (key == "#" && current->IsArray()) {
      if (pos >= path.size()) {
        out.SetUint(current->Size());
        return &out;
      }
      // a.#.rest: rest of every element that has it
      std::string_view rest = path.substr(pos);
      out.SetArray();
      for (const auto& element : current->GetArray()) {
        rapidjson::Value inner;
        if (const rapidjson::Value* found = select_from(element, rest, scratch, inner))
          out.PushBack(rapidjson::Value(*found, scratch.GetAllocator()), scratch.GetAllocator());
      }
      return &out;
    }
    if (!key.empty() && (key[0] == '@' || key[0] == '#' || key.find('|') != std::string::npos))
      return nullptr;  // modifiers, queries and pipes are not in the subset
    current = step(*current, key, pattern);
    if (!current) return nullptr;
  }
  return current;
}

}  // namespace

const rapidjson::Value* select_json(const rapidjson::Value& root, std::string_view path,
                                    rapidjson::Document& scratch) {
  if (path.empty()) return nullptr;
  scratch.SetNull();
  return select_from(root, path, scratch, scratch);
}

}  // namespace lueng
