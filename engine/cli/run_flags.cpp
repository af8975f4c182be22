#include "engine/cli/run_flags.hpp"

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <system_error>

#include <fmt/format.h>

#include "bindings/lua_runtime.hpp"
#include "bindings/script_state.hpp"
#include "engine/cli/commands.hpp"
#include "engine/cli/option_sources.hpp"
#include "engine/common/duration.hpp"
#include "engine/common/exit_codes.hpp"
#include "engine/common/random.hpp"
#include "engine/common/text.hpp"
#include "engine/exec/http_options.hpp"
#include "engine/exec/options.hpp"
#include "engine/exec/summary_options.hpp"

extern char** environ;

namespace lueng::cli {

namespace {

// The most worker threads --threads asks for: beyond any machine's cores.
constexpr int64_t kMaxThreads = 1024;

}  // namespace

void add_test_flags(FlagSet& app, RunFlags& flags) {
  app.option("script", flags.script, "the Lua scenario script").required();
  app.option("-u,--vus", flags.vus, "number of virtual users (overrides the script)")
      .whole_number(exec::kMaxVus, "VUs");
  app.option("-d,--duration", flags.duration,
             "test duration, e.g. 30s, 5m, 1h30m (overrides the script)");
  app.option("-i,--iterations", flags.iterations,
             "total iterations shared by the VUs (overrides the script)")
      .whole_number(static_cast<int64_t>(exec::kLargestCount), "iterations");
  app.option("-s,--stage", flags.stages,
             "DURATION:TARGET stage of a ramp of VUs, repeatable (overrides the script; \"\": "
             "no stages, as in k6)")
      .may_be_empty();
  app.option("-c,--config", flags.config_file,
             "a k6 JSON config file of options, below the script's (default: $K6_CONFIG, or "
             "none); K6_VUS, K6_DURATION, ... in the environment are above the script's");
  app.option("-e,--env", flags.env, "KEY=VALUE added to the script's ENV table (repeatable)");
  app.option("--tag", flags.tags,
             "NAME=VALUE tag on every sample of the test (repeatable; wins over options.tags)");
  app.option("--monitor", flags.monitor,
             "URL of a Prometheus metrics endpoint of the target to scrape during the run "
             "(repeatable; adds to options.monitor.targets)");
  app.flag("--include-system-env-vars", flags.include_system_env,
           "also put the process environment into ENV");
  app.flag("--insecure-skip-tls-verify", flags.insecure_skip_tls_verify,
           "accept any server certificate (overrides the script)");
  app.option("--summary-trend-stats", flags.summary_trend_stats,
             "STATS: the summary's trend columns, comma-separated: avg, min, med, max, count, "
             "p(N) (default avg,min,med,max,p(90),p(95),p(99); \"\": none)")
      .may_be_empty()
      .on_each([&flags] { flags.summary_trend_stats_given = true; });
  app.option("--summary-time-unit", flags.summary_time_unit,
             "s, ms or us: every duration of the summary's trends in this unit (default: the "
             "unit that fits each)");
  app.option("--dns", flags.dns,
             "ttl=D,select=S,policy=P: how names resolve, k6's syntax (default "
             "ttl=5m,select=random,policy=preferIPv4; ttl: a duration, 0 or inf; select: first, "
             "roundRobin, random; policy: preferIPv4, preferIPv6, onlyIPv4, onlyIPv6, any)");
  app.option("--blacklist-ip", flags.blacklist_ips,
             "CIDR: connect to no address in this range, e.g. 10.0.0.0/8 (repeatable, "
             "comma-separated; replaces the script's blacklistIPs)")
      .on_each([&flags] { flags.blacklist_ips_given = true; });
  app.option("--block-hostnames", flags.block_hostnames,
             "PATTERN: connect to no host matching it, case-insensitive, with an optional "
             "leading * wildcard, e.g. *.example.com (repeatable, comma-separated; replaces the "
             "script's blockHostnames)")
      .on_each([&flags] { flags.block_hostnames_given = true; });
  app.option("--local-ips", flags.local_ips,
             "IPS: the source addresses of the VUs' connections, comma-separated IPs, ranges "
             "and CIDRs (192.168.0.10-192.168.0.25,fd00::/120), one per VU in turn (default: "
             "$K6_LOCAL_IPS, or the system's choice)");
  app.option("--system-tags", flags.system_tags,
             "TAGS: the system tags samples carry, comma-separated (default "
             "proto,subproto,status,method,url,name,group,check,error,error_code,tls_version,"
             "scenario,service,expected_response; also ip; \"\": none)")
      .may_be_empty()
      .on_each([&flags] { flags.system_tags_given = true; });
  app.option("--rps", flags.rps,
             "N: at most N requests start per second over all VUs (wins over the script's rps)")
      .whole_number(1'000'000'000, "requests per second");
  app.flag("-w,--throw", flags.throw_errors,
           "a request that gets no response raises a Lua error (throw = true)");
  app.flag("--no-connection-reuse", flags.no_connection_reuse,
           "a new connection for every request (noConnectionReuse = true)");
  app.flag("--no-vu-connection-reuse", flags.no_vu_connection_reuse,
           "close a VU's connections between its iterations (noVUConnectionReuse = true)");
  app.flag("--http-debug", flags.http_debug, "headers",
           "print every request and response to stderr: --http-debug or --http-debug=headers "
           "their heads, --http-debug=full their bodies too (credentials masked; wins over "
           "httpDebug)")
      .on_each([&flags] { flags.http_debug_given = true; });
  app.option("--threads", flags.threads, "worker threads (default: one per core)")
      .whole_number(kMaxThreads, "threads");
  app.option("--random-seed", flags.random_seed,
             "N: math.random's seed, 0 to 2^53-1, to draw a run's numbers again (default: "
             "a fresh one per run; wins over lueng.random_seed)")
      .on_each([&flags] { flags.random_seed_given = true; });
  add_segment_flags(app, flags.segments);
}

namespace {

std::string read_stage(const std::string& text, exec::Stage& stage) {
  size_t colon = text.rfind(':');
  if (colon == std::string::npos)
    return "invalid --stage '" + text + "' (use DURATION:TARGET, e.g. 30s:10)";
  std::string why;
  std::string length = text.substr(0, colon);
  auto duration = parse_flag_duration(length, &why);
  if (!duration)
    return fmt::format("invalid --stage '{}': duration '{}': {} (use DURATION:TARGET, e.g. {}:10)",
                       text, length, why,
                       why == "missing unit in duration" ? length + "s" : std::string("30s"));
  std::string target = text.substr(colon + 1);
  if (*duration < 0 || target.empty() ||
      target.find_first_not_of("0123456789") != std::string::npos)
    return "invalid --stage '" + text + "' (use DURATION:TARGET, e.g. 30s:10)";
  int64_t vus = 0;
  auto [end, error] = std::from_chars(target.data(), target.data() + target.size(), vus);
  if (error != std::errc() || vus > exec::kMaxVus)
    return fmt::format("invalid --stage '{}': {} VUs is more than lueng allows ({} at most)", text,
                       target, exec::kMaxVus);
  stage = {*duration, vus};
  return "";
}

}  // namespace

std::string to_config(const RunFlags& flags, exec::TestRunConfig& config) {
  std::error_code error;
  auto status = std::filesystem::status(flags.script, error);
  if (status.type() == std::filesystem::file_type::directory)
    return "script '" + flags.script + "' is a directory, not a Lua file";
  if (status.type() == std::filesystem::file_type::not_found)
    return "script '" + flags.script + "' not found";
  if (status.type() != std::filesystem::file_type::regular)
    return "script '" + flags.script + "' " +
           (error ? "cannot be read: " + error.message() : "is not a regular file");
  config.runtime = bindings::lua_runtime();
  config.source.path = flags.script;
  config.source.module_dirs = bindings::default_module_dirs(flags.script);
  if (flags.include_system_env)
    for (char** entry = environ; *entry; ++entry) {
      std::string text(*entry);
      size_t eq = text.find('=');
      if (eq != std::string::npos)
        config.source.env.emplace_back(text.substr(0, eq), text.substr(eq + 1));
    }
  for (const std::string& pair : flags.env) {
    size_t eq = pair.find('=');
    if (eq == std::string::npos || eq == 0) return "--env expects KEY=VALUE, got '" + pair + "'";
    config.source.env.emplace_back(pair.substr(0, eq), pair.substr(eq + 1));
  }
  for (const std::string& pair : flags.tags) {
    size_t eq = pair.find('=');
    if (eq == std::string::npos || eq == 0) return "--tag expects NAME=VALUE, got '" + pair + "'";
    config.tags.emplace_back(pair.substr(0, eq), pair.substr(eq + 1));
  }
  config.monitor_urls = flags.monitor;
  if (flags.vus > 0) config.shortcuts.vus = flags.vus;
  if (flags.iterations > 0) config.shortcuts.iterations = flags.iterations;
  if (!flags.duration.empty()) {
    std::string why = "must be positive";
    auto seconds = parse_flag_duration(flags.duration, &why);
    if (!seconds || *seconds <= 0) return flag_duration_error("--duration", flags.duration, why);
    config.shortcuts.duration = *seconds;
  }
  // Every test of this process shorter: the doc and pipeline examples run their
  // 10-minute commands in seconds (docs/user-guide.md, "Environment variables").
  if (const char* cap = std::getenv("LUENG_MAX_DURATION"); cap && *cap) {
    std::string why = "must be positive";
    auto seconds = parse_flag_duration(cap, &why);
    if (!seconds || *seconds <= 0) return flag_duration_error("LUENG_MAX_DURATION", cap, why);
    config.max_test_seconds = *seconds;
  }
  for (const std::string& text : flags.stages) {
    // As in k6, `--stage ""` is a stage without a duration, which k6 drops: the
    // stages are set, and empty, replacing the lower levels' load.
    config.shortcuts.stages_given = true;
    if (text.empty()) continue;
    exec::Stage stage;
    if (std::string problem = read_stage(text, stage); !problem.empty()) return problem;
    config.shortcuts.stages.push_back(stage);
  }
  if (!config.shortcuts.stages.empty() &&
      (config.shortcuts.duration || config.shortcuts.iterations))
    return "--stage cannot be combined with --duration or --iterations";
  if (flags.random_seed_given) {
    auto seed = parse_random_seed(flags.random_seed);
    if (!seed)
      return "invalid --random-seed '" + flags.random_seed + "' (use a whole number from 0 to " +
             std::to_string(kMaxRandomSeed) + ")";
    config.source.random_seed = *seed;
    config.source.random_seed_fixed = true;
  }
  if (std::string problem = to_segment_config(flags.segments, config); !problem.empty())
    return problem;
  if (std::string problem = read_option_levels(flags.config_file, config); !problem.empty())
    return problem;
  config.threads = flags.threads;
  config.insecure_skip_tls_verify = flags.insecure_skip_tls_verify;
  if (flags.summary_trend_stats_given) {
    std::vector<std::string> stats;
    for (const std::string& list : flags.summary_trend_stats) {
      if (list.empty()) continue;  // k6: `--summary-trend-stats ""` is no column at all
      for (std::string_view stat : split(list, ',')) stats.emplace_back(stat);
    }
    if (std::string problem = exec::trend_stats_problem(stats); !problem.empty())
      return "--summary-trend-stats: " + problem;
    config.summary.trend_stats = std::move(stats);
  }
  if (std::string problem = exec::time_unit_problem(flags.summary_time_unit); !problem.empty())
    return "--summary-time-unit: " + problem;
  if (!flags.summary_time_unit.empty()) config.summary.time_unit = flags.summary_time_unit;
  if (!flags.dns.empty())
    if (std::string problem = exec::parse_dns_flag(flags.dns, config.dns); !problem.empty())
      return "--dns: " + problem;
  if (flags.blacklist_ips_given) {
    config.blacklist_ips.emplace();
    for (const std::string& list : flags.blacklist_ips)
      if (std::string problem = exec::parse_blacklist_ips(list, *config.blacklist_ips);
          !problem.empty())
        return "--blacklist-ip: " + problem;
  }
  if (flags.block_hostnames_given) {
    config.block_hostnames.emplace();
    for (const std::string& list : flags.block_hostnames)
      if (std::string problem = exec::parse_block_hostnames(list, *config.block_hostnames);
          !problem.empty())
        return "--block-hostnames: " + problem;
  }
  // As k6, from the flag or the variable only: a script's options cannot set it.
  const char* local_ips_variable = std::getenv("K6_LOCAL_IPS");
  if (!flags.local_ips.empty()) {
    if (std::string problem = config.local_ips.parse(flags.local_ips); !problem.empty())
      return "--local-ips: " + problem;
  } else if (local_ips_variable && *local_ips_variable) {
    if (std::string problem = config.local_ips.parse(local_ips_variable); !problem.empty())
      return "K6_LOCAL_IPS: " + problem;
  }
  if (flags.system_tags_given) {
    // Each --system-tags is a list; `--system-tags '""'` is k6's way to say none.
    std::string lists;
    for (const std::string& list : flags.system_tags) lists += list + ",";
    std::vector<std::string> unknown;
    config.system_tags = exec::system_tags_of_text(lists, &unknown);
    for (const std::string& name : unknown)
      fprintf(stderr, "WARN --system-tags: '%s' is no system tag; ignored, as k6 does\n",
              name.c_str());
  }
  config.throw_errors = flags.throw_errors;
  config.rps = flags.rps;
  config.no_connection_reuse = flags.no_connection_reuse;
  config.no_vu_connection_reuse = flags.no_vu_connection_reuse;
  if (flags.http_debug_given) {
    config.http_debug = exec::parse_http_debug(flags.http_debug);
    if (!config.http_debug)
      return "invalid --http-debug '" + flags.http_debug +
             "' (use --http-debug, --http-debug=headers or --http-debug=full)";
  }
  config.progress = !flags.quiet;
  return "";
}

}  // namespace lueng::cli
