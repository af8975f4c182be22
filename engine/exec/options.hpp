#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <rapidjson/document.h>

#include "engine/exec/option_values.hpp"
#include "engine/exec/scenario_config.hpp"
#include "engine/http/tls_options.hpp"

namespace lueng::exec {

// The most VUs a run may have, over all its scenarios. Far beyond what one machine
// runs (every VU holds a Lua coroutine, buffers and connections), it stops a typo
// such as -u 99999999999999 from growing the process until the system kills it.
inline constexpr int64_t kMaxVus = 10'000'000;

// The scenarios a run executes, derived as k6 derives them (internal/cmd/config.go,
// lib/executor/execution_config_shortcuts.go): a duration, iterations or stages on
// the command line replace the script's shortcuts and scenarios; in the script,
// `iterations`, `duration` or `stages` next to `scenarios` is an error, `vus` alone
// overrides scenarios (with a warning), and no shortcut and no scenario (or
// `scenarios = {}`, with a warning) runs one iteration on one VU. Shortcuts make
// one scenario named "default" (scenario_from_shortcuts). Scenario names are
// letters, digits, `_` and `-`, as in k6.
// `options` is the script's options table as JSON (null when absent); the
// warnings k6 logs go to `warnings` when given. Throws ConfigError.
std::vector<ScenarioConfig> resolve_scenarios(const rapidjson::Value& options,
                                              const Shortcuts& command_line,
                                              std::vector<std::string>* warnings = nullptr);

// The one scenario, named "default", that k6's shortcuts make: its executor is
// the one that takes them (ExecutorKind::from_shortcuts). Not validated.
ScenarioConfig scenario_from_shortcuts(const Shortcuts& shortcuts);

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

// One line per test length (duration, maxDuration, a stage's duration) written as a
// number alone under 1000: "30" is 30 ms as in k6, where a script written for the lueng
// that read it as seconds meant 30 s (engine/exec/bare_number_durations.cpp).
std::vector<std::string> bare_number_duration_warnings(const rapidjson::Value& options);

}  // namespace lueng::exec
