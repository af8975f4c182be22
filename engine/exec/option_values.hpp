#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include <rapidjson/document.h>

#include "engine/exec/scenario_config.hpp"

namespace lueng::exec {

// Invalid options or command line (exit status 104). The message names the option.
class ConfigError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// The largest count an option takes (VUs, iterations, rates, sizes): 2^53, the
// last whole number a double (and so Lua and JSON) holds exactly.
inline constexpr double kLargestCount = 9007199254740992.0;
inline constexpr const char* kTooLarge = "must be at most 9007199254740992 (2^53)";

// Option names are accepted in k6's camelCase and in snake_case: "max_redirects"
// -> "maxRedirects".
std::string to_camel(std::string_view key);

// Readers of one option's value; `where` names the option in the error
// ("options.scenarios.browse.vus: must be a whole number >= 0"). Throw ConfigError.
// A whole number from 0 to kLargestCount.
int64_t read_count(const rapidjson::Value& value, const std::string& where);
// A duration as k6 reads one (lib/types GetDurationValue): a string like "1m30s" or
// "1d2h" (a number alone in a string, "500", is milliseconds) or a number of
// milliseconds; seconds, from 0 to k6's longest duration (int64 nanoseconds).
double read_duration(const rapidjson::Value& value, const std::string& where);
// A non-empty list of { duration = ..., target = ... }.
std::vector<Stage> read_stages(const rapidjson::Value& value, const std::string& where);

}  // namespace lueng::exec
