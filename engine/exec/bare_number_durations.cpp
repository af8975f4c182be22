// Warnings for test lengths written as a number alone ("30"): k6 reads such a string
// as milliseconds, and so does lueng since it follows k6, but lueng once read it as
// seconds. A test or stage shorter than a second written that way is almost always
// an old script meaning seconds, which would now end 1000 times too soon.
#include <cmath>

#include <fmt/format.h>

#include "engine/common/duration.hpp"
#include "engine/exec/option_values.hpp"
#include "engine/exec/options.hpp"

namespace lueng::exec {

namespace {

bool is_bare_number(std::string_view text) {
  return !text.empty() && text.find_first_not_of("0123456789.+-eE") == std::string_view::npos;
}

void check_length(const rapidjson::Value& value, const std::string& where,
                  std::vector<std::string>& warnings) {
  if (!value.IsString() || !is_bare_number(value.GetString())) return;
  auto seconds = parse_duration(value.GetString());
  if (!seconds || *seconds <= 0 || *seconds >= 1) return;
  warnings.push_back(fmt::format(
      "{}: \"{}\" is {} (a number alone is milliseconds, as in k6); write \"{}s\" for seconds",
      where, value.GetString(), format_duration(*seconds), value.GetString()));
}

void check_stages(const rapidjson::Value& stages, const std::string& where,
                  std::vector<std::string>& warnings) {
  if (!stages.IsArray()) return;
  for (rapidjson::SizeType i = 0; i < stages.Size(); ++i)
    if (stages[i].IsObject() && stages[i].HasMember("duration"))
      check_length(stages[i]["duration"], fmt::format("{}[{}].duration", where, i + 1), warnings);
}

// The lengths of a test: duration, maxDuration and the stages, top level or scenario.
void check_table(const rapidjson::Value& table, const std::string& where,
                 std::vector<std::string>& warnings) {
  for (const auto& member : table.GetObject()) {
    std::string key = to_camel(member.name.GetString());
    std::string at = where + "." + member.name.GetString();
    if (key == "duration" || key == "maxDuration")
      check_length(member.value, at, warnings);
    else if (key == "stages")
      check_stages(member.value, at, warnings);
  }
}

}  // namespace

std::vector<std::string> bare_number_duration_warnings(const rapidjson::Value& options) {
  std::vector<std::string> warnings;
  if (!options.IsObject()) return warnings;
  check_table(options, "options", warnings);
  if (options.HasMember("scenarios") && options["scenarios"].IsObject())
    for (const auto& scenario : options["scenarios"].GetObject())
      if (scenario.value.IsObject())
        check_table(scenario.value, std::string("options.scenarios.") + scenario.name.GetString(),
                    warnings);
  return warnings;
}

}  // namespace lueng::exec
