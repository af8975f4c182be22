#pragma once

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include <rapidjson/document.h>

#include "engine/exec/scenario_config.hpp"
#include "engine/http/tls_options.hpp"

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

// The most VUs a run may have, over all its scenarios. Far beyond what one machine
// runs (every VU holds a Lua coroutine, buffers and connections), it stops a typo
// such as -u 99999999999999 from growing the process until the system kills it.
inline constexpr int64_t kMaxVus = 10'000'000;

// k6's execution shortcuts, from the command line or the script's options.
struct Shortcuts {
  std::optional<int64_t> vus;
  std::optional<double> duration;
  std::optional<int64_t> iterations;
  std::vector<Stage> stages;  // ramping-vus
  bool any() const { return vus || duration || iterations || !stages.empty(); }
};

// The scenarios a run executes. Command-line shortcuts win over the script: any
// of them replaces options.scenarios. Without scenarios, the shortcuts derive one
// scenario named "default" the way k6 does: duration -> constant-vus, iterations
// -> shared-iterations, stages -> ramping-vus, none -> per-vu-iterations with one
// iteration per VU.
// `options` is the script's options table as JSON (null when absent).
// Throws ConfigError.
std::vector<ScenarioConfig> resolve_scenarios(const rapidjson::Value& options,
                                              const Shortcuts& command_line);

// Option names are accepted in k6's camelCase and in snake_case: "max_redirects"
// -> "maxRedirects".
std::string to_camel(std::string_view key);

// The script's TLS options, k6's names: insecureSkipTLSVerify, tlsAuth, tlsVersion,
// tlsCipherSuites, plus tlsCACert (a PEM file of extra trusted CAs). Throws ConfigError.
http::TlsOptions resolve_tls_options(const rapidjson::Value& options);

// Tags on every sample of the test: options.tags, then `command_line` (--tag) over
// them. A scenario's own tags win over both, as in k6. Throws ConfigError.
KeyValues resolve_test_tags(const rapidjson::Value& options, const KeyValues& command_line);
void add_test_tags(ScenarioConfig& scenario, const KeyValues& test_tags);

// One line per top-level option lueng does not read: a typo ("thersholds") must
// not silently leave a test without its SLOs. Known k6 options lueng does not
// implement are named as such.
std::vector<std::string> unknown_option_warnings(const rapidjson::Value& options);

// Reads a duration option: a string like "1m30s" or a number of milliseconds.
double read_duration(const rapidjson::Value& value, const std::string& where);

}  // namespace lueng::exec
