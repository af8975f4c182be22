#include "engine/exec/system_tags.hpp"

#include <array>
#include <utility>

#include "engine/common/text.hpp"
#include "engine/exec/option_values.hpp"

namespace lueng::exec {

namespace {

constexpr std::array<std::pair<std::string_view, SystemTag>, 18> kNames = {{
    {"proto", SystemTag::kProto},
    {"subproto", SystemTag::kSubproto},
    {"status", SystemTag::kStatus},
    {"method", SystemTag::kMethod},
    {"url", SystemTag::kUrl},
    {"name", SystemTag::kName},
    {"group", SystemTag::kGroup},
    {"check", SystemTag::kCheck},
    {"error", SystemTag::kError},
    {"error_code", SystemTag::kErrorCode},
    {"tls_version", SystemTag::kTlsVersion},
    {"scenario", SystemTag::kScenario},
    {"service", SystemTag::kService},
    {"expected_response", SystemTag::kExpectedResponse},
    {"iter", SystemTag::kIter},
    {"vu", SystemTag::kVu},
    {"ocsp_status", SystemTag::kOcspStatus},
    {"ip", SystemTag::kIp},
}};

}  // namespace

std::string SystemTags::names() const {
  std::string out;
  for (const auto& [name, tag] : kNames) {
    if (!has(tag)) continue;
    if (!out.empty()) out += ',';
    out += name;
  }
  return out;
}

std::vector<std::string> SystemTags::list() const {
  std::vector<std::string> out;
  for (const auto& [name, tag] : kNames)
    if (has(tag)) out.emplace_back(name);
  return out;
}

SystemTags system_tags_of(const std::vector<std::string>& names,
                          std::vector<std::string>* unknown) {
  uint32_t bits = 0;
  for (const std::string& given : names) {
    bool found = false;
    for (const auto& [name, tag] : kNames) {
      if (name != given) continue;
      bits |= static_cast<uint32_t>(tag);
      found = true;
    }
    if (!found && unknown) unknown->push_back(given);
  }
  return SystemTags(bits);
}

SystemTags system_tags_of_text(std::string_view text, std::vector<std::string>* unknown) {
  std::vector<std::string> names;
  for (std::string_view part : split(text, ',')) {
    std::string_view name = trim_whitespace(part);
    if (!name.empty() && name != "\"\"") names.emplace_back(name);
  }
  return system_tags_of(names, unknown);
}

std::optional<SystemTags> read_system_tags(const rapidjson::Value& options,
                                           std::vector<std::string>* warnings) {
  if (!options.IsObject()) return std::nullopt;
  for (const auto& member : options.GetObject()) {
    if (to_camel(member.name.GetString()) != "systemTags") continue;
    std::string at = std::string("options.") + member.name.GetString();
    const rapidjson::Value& value = member.value;
    std::vector<std::string> names;
    // Lua writes an empty list as an empty table: no system tag at all.
    if (!(value.IsObject() && value.MemberCount() == 0)) {
      if (!value.IsArray())
        throw ConfigError(at +
                          ": must be a list of system tag names, e.g. { \"status\", "
                          "\"method\", \"name\" }");
      for (const auto& name : value.GetArray()) {
        if (!name.IsString()) throw ConfigError(at + ": must be a list of strings");
        names.emplace_back(name.GetString(), name.GetStringLength());
      }
    }
    std::vector<std::string> unknown;
    SystemTags tags = system_tags_of(names, &unknown);
    if (warnings) {
      for (const std::string& name : unknown)
        warnings->push_back(at + ": '" + name + "' is no system tag; ignored, as k6 does");
    }
    return tags;
  }
  return std::nullopt;
}

}  // namespace lueng::exec
