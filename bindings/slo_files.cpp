// Lua files of the SLO gate: shared threshold sets and the recommendation rules.
// Both are plain data, so they run in a bare Lua state without the lueng modules.
#include "bindings/slo_files.hpp"

#include <algorithm>
#include <memory>

#include <lua.hpp>

#include "bindings/lua_json.hpp"
#include "bindings/script_state.hpp"
#include "engine/common/json_parse.hpp"
#include "engine/thresholds/definitions.hpp"
#include "engine/thresholds/evaluate.hpp"

namespace lueng::bindings {

namespace {

using StatePtr = std::unique_ptr<lua_State, decltype(&lua_close)>;

StatePtr data_state(const std::vector<std::string>& module_dirs) {
  StatePtr L(luaL_newstate(), lua_close);
  if (!L) throw thresholds::ThresholdError("cannot create a Lua state (out of memory)");
  luaL_openlibs(L.get());
  std::string path;
  for (const auto& dir : module_dirs) path += dir + "/?.lua;" + dir + "/?/init.lua;";
  lua_getglobal(L.get(), "package");
  lua_pushstring(L.get(), path.c_str());
  lua_setfield(L.get(), -2, "path");
  lua_pop(L.get(), 1);
  return L;
}

// The value on top of L as a JSON document.
bool top_as_json(lua_State* L, rapidjson::Document& document, std::string* error) {
  std::string json;
  if (!lua_to_json(L, -1, json, error)) return false;
  return parse_json_bounded(json, document, nullptr);
}

std::vector<std::string> strings_of(const rapidjson::Value& rule, const char* key) {
  std::vector<std::string> out;
  if (!rule.IsObject() || !rule.HasMember(key)) return out;
  const rapidjson::Value& value = rule[key];
  if (value.IsString()) out.emplace_back(value.GetString());
  if (value.IsArray())
    for (const auto& item : value.GetArray())
      if (item.IsString()) out.emplace_back(item.GetString());
  return out;
}

bool rule_matches(const rapidjson::Value& rule, const thresholds::SloResult& result) {
  const std::string& metric = result.slo.selector.metric;
  bool named = false;
  for (const auto& name : strings_of(rule, "metrics")) named = named || name == metric;
  for (const auto& part : strings_of(rule, "contains"))
    named = named || metric.find(part) != std::string::npos;
  if (!named) return false;
  auto statuses = strings_of(rule, "statuses");
  if (statuses.empty()) return result.status != thresholds::SloStatus::kNoData;
  return std::find(statuses.begin(), statuses.end(), thresholds::status_name(result.status)) !=
         statuses.end();
}

void add_advice(const rapidjson::Value& rule, std::vector<std::string>& advice) {
  for (auto& text : strings_of(rule, "advice"))
    if (std::find(advice.begin(), advice.end(), text) == advice.end()) advice.push_back(text);
}

}  // namespace

rapidjson::Document load_thresholds_file(const std::string& path) {
  StatePtr L = data_state(default_module_dirs(path));
  if (luaL_loadfile(L.get(), path.c_str()) != 0 || lua_pcall(L.get(), 0, 1, 0) != 0)
    throw thresholds::ThresholdError(pop_error_message(L.get()));
  if (!lua_istable(L.get(), -1))
    throw thresholds::ThresholdError(path +
                                     ": must return a thresholds table, e.g. return { "
                                     "http_req_duration = { \"p(95)<3000\" } }");
  rapidjson::Document document;
  std::string error;
  if (!top_as_json(L.get(), document, &error))
    throw thresholds::ThresholdError(path + ": " + error);
  return document;
}

std::string add_recommendations(thresholds::SloReport& report,
                                const std::vector<std::string>& module_dirs) {
  bool any = false;
  for (const auto& result : report.results)
    any = any || thresholds::failure_level(result, true) > 0;
  if (!any) return "";
  StatePtr L = data_state(module_dirs);
  lua_getglobal(L.get(), "require");
  lua_pushstring(L.get(), "lueng.recommendations");
  if (lua_pcall(L.get(), 1, 1, 0) != 0) return "recommendations: " + pop_error_message(L.get());
  rapidjson::Document rules;
  std::string error;
  if (!lua_istable(L.get(), -1) || !top_as_json(L.get(), rules, &error) || !rules.IsArray())
    return "recommendations: lueng.recommendations must return a list of rules" +
           (error.empty() ? "" : " (" + error + ")");
  for (auto& result : report.results) {
    if (thresholds::failure_level(result, true) == 0) continue;
    result.recommendations.clear();
    for (const auto& rule : rules.GetArray())
      if (rule_matches(rule, result)) add_advice(rule, result.recommendations);
    if (result.recommendations.empty())
      for (const auto& rule : rules.GetArray())
        if (rule.IsObject() && rule.HasMember("fallback") && rule["fallback"].IsTrue() &&
            result.status != thresholds::SloStatus::kNoData)
          add_advice(rule, result.recommendations);
  }
  return "";
}

}  // namespace lueng::bindings
