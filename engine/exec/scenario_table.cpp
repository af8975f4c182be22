#include "engine/exec/scenario_table.hpp"

#include <algorithm>

#include "engine/common/closest_name.hpp"

namespace lueng::exec {

ScenarioTable::ScenarioTable(const rapidjson::Value& table, std::string where)
    : table_(table), where_(std::move(where)), read_(table.MemberCount(), false) {}

void ScenarioTable::read(Names names, const Reader& read) {
  asked_.insert(asked_.end(), names.begin(), names.end());
  size_t i = 0;
  for (const auto& member : table_.GetObject()) {
    std::string key = to_camel(member.name.GetString());
    if (std::find(names.begin(), names.end(), key) != names.end()) {
      read_[i] = true;
      read(member.value, where_ + "." + member.name.GetString());
    }
    ++i;
  }
}

void ScenarioTable::count(Names names, int64_t& into) {
  read(names,
       [&](const rapidjson::Value& value, const std::string& at) { into = read_count(value, at); });
}

void ScenarioTable::duration(Names names, double& into) {
  read(names, [&](const rapidjson::Value& value, const std::string& at) {
    into = read_duration(value, at);
  });
}

void ScenarioTable::stages(Names names, std::vector<Stage>& into) {
  read(names, [&](const rapidjson::Value& value, const std::string& at) {
    into = read_stages(value, at);
  });
}

std::vector<std::string> ScenarioTable::unread() const {
  std::vector<std::string> names;
  size_t i = 0;
  for (const auto& member : table_.GetObject())
    if (!read_[i++]) names.emplace_back(member.name.GetString());
  return names;
}

std::string ScenarioTable::nearest_option(const std::string& name) const {
  return closest_name(to_camel(name), asked_);
}

}  // namespace lueng::exec
