#include "engine/exec/option_values.hpp"

#include <cctype>
#include <cmath>

#include "engine/common/duration.hpp"

namespace lueng::exec {

std::string to_camel(std::string_view key) {
  std::string out;
  bool upper = false;
  for (char c : key) {
    if (c == '_') {
      upper = true;
    } else {
      out.push_back(upper ? static_cast<char>(std::toupper(static_cast<unsigned char>(c))) : c);
      upper = false;
    }
  }
  return out;
}

int64_t read_count(const rapidjson::Value& value, const std::string& where) {
  if (!value.IsNumber() || value.GetDouble() != std::floor(value.GetDouble()) ||
      value.GetDouble() < 0)
    throw ConfigError(where + ": must be a whole number >= 0");
  if (value.GetDouble() > kLargestCount) throw ConfigError(where + ": " + kTooLarge);
  return static_cast<int64_t>(value.GetDouble());
}

namespace {

// k6 keeps durations in Go's time.Duration, int64 nanoseconds: 2562047h47m16.854775807s.
constexpr double kLongestDuration = 9223372036.854775807;

double checked_duration(double seconds, const std::string& where) {
  if (seconds < 0) throw ConfigError(where + ": must not be negative");
  if (seconds > kLongestDuration)
    throw ConfigError(where + ": longer than k6's longest duration (2562047h47m16.854775807s)");
  return seconds;
}

}  // namespace

double read_duration(const rapidjson::Value& value, const std::string& where) {
  if (value.IsNumber()) return checked_duration(value.GetDouble() / 1000.0, where);
  if (value.IsString()) {
    auto seconds = parse_duration(value.GetString());
    if (!seconds)
      throw ConfigError(where + ": '" + value.GetString() +
                        "' is not a duration (use e.g. 500ms, 30s, 2m30s, 1h)");
    return checked_duration(*seconds, where);
  }
  throw ConfigError(where + ": must be a duration: a string such as \"30s\" or milliseconds");
}

std::vector<Stage> read_stages(const rapidjson::Value& value, const std::string& where) {
  if (!value.IsArray() || value.Empty())
    throw ConfigError(where + ": must be a list of { duration = ..., target = ... }");
  std::vector<Stage> stages;
  for (rapidjson::SizeType i = 0; i < value.Size(); ++i) {
    std::string at = where + "[" + std::to_string(i + 1) + "]";
    const rapidjson::Value& stage = value[i];
    if (!stage.IsObject() || !stage.HasMember("duration") || !stage.HasMember("target"))
      throw ConfigError(at + ": must be { duration = ..., target = ... }");
    stages.push_back({read_duration(stage["duration"], at + ".duration"),
                      read_count(stage["target"], at + ".target")});
  }
  return stages;
}

}  // namespace lueng::exec
