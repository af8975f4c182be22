#pragma once

#include <map>
#include <string>
#include <vector>

#include <rapidjson/document.h>

namespace lueng::exec {

// The options of one level of k6's configuration (internal/cmd/config.go,
// getConsolidatedConfig), which stack lowest first: a config file (--config),
// the script's options, the K6_* environment variables (exec/env_options.hpp).
// The command line comes last: resolve_scenarios takes its shortcuts and the
// flags' own fields win over the rest.
struct OptionLevel {
  std::string name;           // k6's name of the level in its warnings: "file", "script", "env"
  std::string json = "null";  // an options object with k6's names, or null (nothing set)
  // How an error names an option of this level, by its camelCase name
  // ("vus" -> "K6_VUS"); `source`, when set, names every option of the level
  // ("config file 'k6.json'"). The script's options need neither: errors say
  // "options.NAME".
  std::map<std::string, std::string> sources;
  std::string source;
};

struct ConsolidatedOptions {
  rapidjson::Document options;  // an object, or null when no level set anything
  // Where the value of each option that did not come from the script came from.
  std::map<std::string, std::string> sources;
  std::vector<std::string> warnings;  // k6's, when a level overrode scenarios
};

// Stacks the levels as k6's Options.Apply does: a level's option replaces the
// lower levels' (whatever its spelling: setup_timeout replaces setupTimeout); a
// level that sets `duration`, `iterations`, `stages` or `scenarios` drops all
// four from the levels below, with k6's warning when scenarios were there; and
// `tags` are merged name by name, the higher level winning a name both give (as
// k6 with its merge-run-tags feature). A level's JSON must be an object or null
// (the caller checked it; anything else counts as null).
ConsolidatedOptions consolidate_options(const std::vector<OptionLevel>& levels);

// `message` (a ConfigError's) with where the options it names came from, when
// not from the script: "options.vus: must be ... (vus set by K6_VUS)". An option
// is named as options.NAME, `NAME`, or, in a message on the options as a whole
// ("options: ..."), as the word NAME.
std::string with_option_sources(const std::string& message,
                                const std::map<std::string, std::string>& sources);

}  // namespace lueng::exec
