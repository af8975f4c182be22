#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "engine/cli/flag_set.hpp"
#include "engine/cli/segment_flags.hpp"
#include "engine/exec/test_run.hpp"

namespace lueng::cli {

// The flags `lueng run` and `lueng inspect` share.
struct RunFlags {
  std::string script;
  std::string config_file;  // --config: k6's JSON config file
  int64_t vus = 0;
  std::string duration;
  int64_t iterations = 0;
  std::vector<std::string> stages;
  std::vector<std::string> env;
  std::vector<std::string> tags;
  std::vector<std::string> monitor;  // --monitor URL: the target's metrics endpoints
  int threads = 0;
  std::string summary_export;
  bool quiet = false;
  bool no_color = false;
  bool include_system_env = false;
  bool insecure_skip_tls_verify = false;
  bool throw_errors = false;
  int64_t rps = 0;
  std::vector<std::string> summary_trend_stats;
  bool summary_trend_stats_given = false;
  std::string summary_time_unit;
  std::string dns;
  std::vector<std::string> blacklist_ips;  // --blacklist-ip, each a comma-separated list
  bool blacklist_ips_given = false;
  std::vector<std::string> block_hostnames;  // --block-hostnames, likewise
  bool block_hostnames_given = false;
  std::string local_ips;  // --local-ips
  std::vector<std::string> system_tags;
  bool system_tags_given = false;
  bool no_connection_reuse = false;
  bool no_vu_connection_reuse = false;
  std::string http_debug;  // --http-debug[=headers|full]
  bool http_debug_given = false;
  std::string random_seed;
  bool random_seed_given = false;
  SegmentFlags segments;  // --execution-segment and friends, --start-at
};

// Adds the flags that shape the test (script, VUs, duration, stages, env...).
void add_test_flags(FlagSet& app, RunFlags& flags);
// The parsed flags as run configuration. Returns "" or a one-line problem.
std::string to_config(const RunFlags& flags, exec::TestRunConfig& config);

}  // namespace lueng::cli
