#pragma once

#include <functional>
#include <map>
#include <string>
#include <vector>

namespace lueng::exec {

// The K6_* environment variables k6 reads as options (lib/options.go, its
// `envconfig` tags), those of the options lueng implements: K6_VUS, K6_DURATION,
// K6_ITERATIONS, K6_STAGES, K6_TAGS, K6_NO_SETUP, K6_SETUP_TIMEOUT, ... Their text
// is read as k6 reads it: a duration as ParseExtendedDuration ("10000" is 10 s),
// a stage list as "2m30s:11,1h1m:100" (Go durations, a unit required), tags as
// "name:value,name:value", booleans "true" or "false"; an empty value is unset.
struct EnvOptions {
  std::string json = "null";  // an options object with k6's camelCase names, or null
  // The variable each option came from, by its camelCase name ("vus" -> "K6_VUS").
  std::map<std::string, std::string> sources;
  // K6_* variables of k6 options lueng does not read, or does not read from the
  // environment: one line each, naming the variable, for the run to warn.
  std::vector<std::string> warnings;
};

// `getenv` returns a variable's value or null when unset. Returns "" or a
// one-line problem that names the variable ("K6_VUS: 'ten' is not a whole number").
std::string read_env_options(const std::function<const char*(const char*)>& getenv,
                             EnvOptions& out);

}  // namespace lueng::exec
