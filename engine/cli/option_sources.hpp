#pragma once

#include <string>

#include "engine/exec/test_run.hpp"

namespace lueng::cli {

// The options below and above the script's, as k6 reads them: the config file
// that --config (or K6_CONFIG) names, JSON with the options' names (k6's
// internal/cmd/config.go readDiskConfig), and the K6_* environment variables
// (exec/env_options.hpp). No default file is read: k6's,
// ~/.config/k6/config.json, is written by `k6 login` for k6 Cloud, and a file
// read without being named would make a run differ between machines unseen
// (docs/user-guide.md, "Config file and K6_* variables").
// Returns "" or a one-line problem naming the file or the variable (exit 104);
// warnings of what lueng does not read go to stderr.
std::string read_option_levels(const std::string& config_flag, exec::TestRunConfig& config);

}  // namespace lueng::cli
