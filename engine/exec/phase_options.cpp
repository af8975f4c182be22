#include "engine/exec/phase_options.hpp"

#include <string>

#include "engine/exec/option_values.hpp"

namespace lueng::exec {

namespace {

double read_timeout(const rapidjson::Value& value, const std::string& where) {
  double seconds = read_duration(value, where);
  if (seconds <= 0) throw ConfigError(where + ": must be longer than 0s");
  return seconds;
}

bool read_bool(const rapidjson::Value& value, const std::string& where) {
  if (!value.IsBool()) throw ConfigError(where + ": must be true or false");
  return value.GetBool();
}

}  // namespace

PhaseOptions read_phase_options(const rapidjson::Value& options) {
  PhaseOptions phases;
  if (!options.IsObject()) return phases;
  for (const auto& member : options.GetObject()) {
    std::string key = to_camel(member.name.GetString());
    std::string at = std::string("options.") + member.name.GetString();
    if (key == "setupTimeout")
      phases.setup_timeout = read_timeout(member.value, at);
    else if (key == "teardownTimeout")
      phases.teardown_timeout = read_timeout(member.value, at);
    else if (key == "handleSummaryTimeout")
      phases.summary_timeout = read_timeout(member.value, at);
    else if (key == "noSetup")
      phases.no_setup = read_bool(member.value, at);
    else if (key == "noTeardown")
      phases.no_teardown = read_bool(member.value, at);
  }
  return phases;
}

double read_min_iteration_duration(const rapidjson::Value& options) {
  if (!options.IsObject()) return 0;
  for (const auto& member : options.GetObject())
    if (to_camel(member.name.GetString()) == "minIterationDuration")
      return read_duration(member.value, std::string("options.") + member.name.GetString());
  return 0;
}

}  // namespace lueng::exec
