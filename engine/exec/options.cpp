#include "engine/exec/options.hpp"

#include <algorithm>
#include <cmath>
#include <memory>
#include <set>
#include <stdexcept>

#include <fmt/format.h>

#include "engine/common/memory_limit.hpp"
#include "engine/exec/executor.hpp"
#include "engine/exec/scenario_table.hpp"
#include "engine/http/tls_cipher_suites.hpp"
#include "engine/http/tls_material.hpp"

namespace lueng::exec {

namespace {

std::string scalar_text(const rapidjson::Value& value) {
  if (value.IsString()) return value.GetString();
  if (value.IsNumber()) {
    double number = value.GetDouble();
    if (number == std::floor(number) && std::fabs(number) <= kLargestCount)
      return std::to_string(static_cast<long long>(number));
    return std::to_string(number);
  }
  if (value.IsBool()) return value.GetBool() ? "true" : "false";
  return "";
}

KeyValues read_map(const rapidjson::Value& value, const std::string& where) {
  if (!value.IsObject()) throw ConfigError(where + ": must be a table of name = value");
  KeyValues out;
  for (const auto& member : value.GetObject()) {
    if (!member.value.IsString() && !member.value.IsNumber() && !member.value.IsBool())
      throw ConfigError(where + "." + member.name.GetString() + ": must be a string");
    out.emplace_back(member.name.GetString(), scalar_text(member.value));
  }
  return out;
}

// { p95 = "10s", error_rate = 0.05 }: either crossing marks the breaking point.
void read_breaking_point(const rapidjson::Value& value, const std::string& where,
                         ScenarioConfig& config) {
  if (!value.IsObject())
    throw ConfigError(where + ": must be { p95 = \"10s\", error_rate = 0.05 }");
  for (const auto& member : value.GetObject()) {
    std::string key = to_camel(member.name.GetString());
    std::string at = where + "." + member.name.GetString();
    if (key == "p95") {
      config.breaking_p95_ms = read_duration(member.value, at) * 1000;
    } else if (key == "errorRate") {
      if (!member.value.IsNumber() || member.value.GetDouble() < 0 || member.value.GetDouble() > 1)
        throw ConfigError(at + ": must be a fraction between 0 and 1");
      config.breaking_error_rate = member.value.GetDouble();
    } else {
      throw ConfigError(at + ": unknown option (use p95 and error_rate)");
    }
  }
}

bool is_scenario_name(const std::string& name) {
  auto allowed = [](char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
           c == '-';
  };
  return !name.empty() && std::all_of(name.begin(), name.end(), allowed);
}

// The options every scenario has, whatever its executor.
void read_common(ScenarioTable& table, ScenarioConfig& config) {
  table.read({"executor"}, [&](const rapidjson::Value& value, const std::string& at) {
    if (!value.IsString()) throw ConfigError(at + ": must be a string");
    config.executor = value.GetString();
  });
  table.read({"exec"}, [&](const rapidjson::Value& value, const std::string& at) {
    if (!value.IsString()) throw ConfigError(at + ": must be the name of a function");
    config.exec = value.GetString();
    if (config.exec.empty()) throw ConfigError(at + ": exec value cannot be empty");
  });
  table.duration({"startTime"}, config.start_time);
  table.duration({"gracefulStop"}, config.graceful_stop);
  table.read({"tags"}, [&](const rapidjson::Value& value, const std::string& at) {
    config.tags = read_map(value, at);
  });
  table.read({"env"}, [&](const rapidjson::Value& value, const std::string& at) {
    config.env = read_map(value, at);
  });
  table.read({"breakingPoint"}, [&](const rapidjson::Value& value, const std::string& at) {
    read_breaking_point(value, at, config);
  });
}

// "options.scenarios.name", or with the name quoted when it is not a plain word.
std::string scenario_where(const std::string& name) {
  if (is_scenario_name(name)) return "options.scenarios." + name;
  return "options.scenarios[\"" + name + "\"]";
}

ScenarioConfig read_scenario(const std::string& name, const rapidjson::Value& value) {
  std::string where = scenario_where(name);
  // As in k6 (lib/executor/base_config.go): the name becomes a tag value and a
  // column of the outputs.
  if (name.empty()) throw ConfigError(where + ": a scenario name can't be empty");
  if (!is_scenario_name(name))
    throw ConfigError(where +
                      ": the scenario name should contain only numbers, latin letters, "
                      "underscores, and dashes");
  if (!value.IsObject()) throw ConfigError(where + ": must be a table");
  ScenarioTable table(value, where);
  ScenarioConfig config;
  config.name = name;
  read_common(table, config);
  // Every executor reads the table, and the scenario keeps what its own read: an
  // option of another executor is still checked, then ignored, and only a name
  // that no executor reads is unknown.
  for (const ExecutorKind* kind : executor_kinds()) {
    std::unique_ptr<ExecutorConfig> parsed = kind->parse(table);
    if (kind->name == config.executor) config.executor_config = std::move(parsed);
  }
  if (std::vector<std::string> unknown = table.unread(); !unknown.empty()) {
    std::string nearest = table.nearest_option(unknown.front());
    throw ConfigError(where + "." + unknown.front() + ": unknown scenario option" +
                      (nearest.empty() ? "" : " (did you mean " + nearest + "?)"));
  }
  if (config.executor.empty()) throw ConfigError(where + ".executor: is required");
  return config;
}

// What a VU takes at the very least: its Lua coroutine, buffers and bookkeeping
// (a VU that only sleeps costs about 3 KiB). A run whose VUs cannot fit in the
// memory the process may use even so is refused before it starts, rather than
// killed by the system once it has grown.
constexpr uint64_t kMinBytesPerVu = 2048;

std::string gibibytes(uint64_t bytes) {
  return fmt::format("{:.1f} GiB", static_cast<double>(bytes) / (1024.0 * 1024 * 1024));
}

void check_vus(int64_t vus, const std::string& where) {
  if (vus > kMaxVus)
    throw ConfigError(
        fmt::format("{}: {} VUs is more than lueng allows ({} at most)", where, vus, kMaxVus));
  uint64_t needed = static_cast<uint64_t>(vus) * kMinBytesPerVu;
  if (uint64_t limit = memory_limit_bytes(); needed > limit)
    throw ConfigError(fmt::format(
        "{}: {} VUs need {} of memory at the very least (2 KiB each, more with what the "
        "script keeps per VU), and this process may use {} (RAM, ulimit -v or the cgroup's "
        "limit)",
        where, vus, gibibytes(needed), gibibytes(limit)));
}

void validate(const ScenarioConfig& config, const std::string& where) {
  if (!config.executor_config)
    throw ConfigError(where + ".executor: unknown executor '" + config.executor +
                      "' (known: " + executor_names() + ")");
  if (std::string problem = config.executor_config->validate(); !problem.empty())
    throw ConfigError(where + ": " + problem);
  check_vus(config.executor_config->max_vus(Segment{}), where);
}

}  // namespace

ScenarioConfig scenario_from_shortcuts(const Shortcuts& shortcuts) {
  ScenarioConfig config;
  config.name = "default";
  for (const ExecutorKind* kind : executor_kinds())
    if (std::unique_ptr<ExecutorConfig> taken = kind->from_shortcuts(shortcuts)) {
      config.executor = kind->name;
      config.executor_config = std::move(taken);
      return config;
    }
  throw std::logic_error("no executor takes these shortcuts");  // the registry's unit test
}

namespace {

std::string read_string(const rapidjson::Value& value, const std::string& where) {
  if (!value.IsString()) throw ConfigError(where + ": must be a string");
  return value.GetString();
}

int read_tls_version(const rapidjson::Value& value, const std::string& where) {
  int version = value.IsString() ? http::parse_tls_version(value.GetString()) : 0;
  if (!version)
    throw ConfigError(where + ": must be one of \"tls1.0\", \"tls1.1\", \"tls1.2\", \"tls1.3\"");
  return version;
}

void read_tls_versions(const rapidjson::Value& value, const std::string& where,
                       http::TlsOptions& tls) {
  if (value.IsString()) {  // k6: one version, both the minimum and the maximum
    tls.min_version = tls.max_version = read_tls_version(value, where);
    return;
  }
  if (!value.IsObject())
    throw ConfigError(where + ": must be a version string or { min = ..., max = ... }");
  for (const auto& member : value.GetObject()) {
    std::string key = member.name.GetString();
    std::string at = where + "." + key;
    if (key == "min")
      tls.min_version = read_tls_version(member.value, at);
    else if (key == "max")
      tls.max_version = read_tls_version(member.value, at);
    else
      throw ConfigError(at + ": unknown key (use min and max)");
  }
  if (tls.min_version && tls.max_version && tls.min_version > tls.max_version)
    throw ConfigError(where + ": min is newer than max");
}

std::vector<http::TlsClientCertificate> read_tls_auth(const rapidjson::Value& value,
                                                      const std::string& where) {
  if (!value.IsArray())
    throw ConfigError(where + ": must be a list of { cert = ..., key = ..., domains = {...} }");
  std::vector<http::TlsClientCertificate> entries;
  for (rapidjson::SizeType i = 0; i < value.Size(); ++i) {
    std::string at = where + "[" + std::to_string(i + 1) + "]";
    const rapidjson::Value& entry = value[i];
    if (!entry.IsObject()) throw ConfigError(at + ": must be { cert = ..., key = ... }");
    http::TlsClientCertificate certificate;
    certificate.where = at;
    for (const auto& member : entry.GetObject()) {
      std::string key = member.name.GetString();
      std::string field = at + "." + key;
      if (key == "cert") {
        certificate.cert = read_string(member.value, field);
      } else if (key == "key") {
        certificate.key = read_string(member.value, field);
      } else if (key == "password") {
        certificate.password = read_string(member.value, field);
      } else if (key == "domains") {
        if (!member.value.IsArray()) throw ConfigError(field + ": must be a list of host names");
        for (rapidjson::SizeType d = 0; d < member.value.Size(); ++d)
          certificate.domains.push_back(
              read_string(member.value[d], field + "[" + std::to_string(d + 1) + "]"));
      } else {
        throw ConfigError(field + ": unknown key (use cert, key, password, domains)");
      }
    }
    if (certificate.cert.empty()) throw ConfigError(at + ".cert: is required");
    if (certificate.key.empty()) throw ConfigError(at + ".key: is required");
    entries.push_back(std::move(certificate));
  }
  return entries;
}

// k6's tlsCipherSuites: standard (IANA) names, turned into OpenSSL's lists.
void read_tls_cipher_suites(const rapidjson::Value& value, const std::string& where,
                            http::TlsOptions& tls) {
  if (!value.IsArray() || value.Empty())
    throw ConfigError(where +
                      ": must be a list of cipher suite names such as "
                      "\"TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256\"");
  for (rapidjson::SizeType i = 0; i < value.Size(); ++i) {
    std::string at = where + "[" + std::to_string(i + 1) + "]";
    std::string name = read_string(value[i], at);
    auto suite = http::find_cipher_suite(name);
    if (!suite) {
      std::string standard = http::standard_cipher_suite_name(name);
      throw ConfigError(at + ": unknown cipher suite '" + name + "'" +
                        (standard.empty() ? " (use the IANA names, such as "
                                            "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256)"
                                          : " (that is OpenSSL's name; use " + standard + ")"));
    }
    std::string& list = suite->tls13 ? tls.tls13_cipher_suites : tls.cipher_list;
    if (!list.empty()) list += ':';
    list += suite->openssl_name;
  }
}

}  // namespace

http::TlsOptions resolve_tls_options(const rapidjson::Value& options) {
  http::TlsOptions tls;
  if (!options.IsObject()) return tls;
  for (const auto& member : options.GetObject()) {
    // k6 spells TLS in capitals; to_camel gives "Tls" for snake_case names.
    std::string key = to_camel(member.name.GetString());
    std::string at = std::string("options.") + member.name.GetString();
    const rapidjson::Value& value = member.value;
    if (key == "insecureSkipTLSVerify" || key == "insecureSkipTlsVerify") {
      if (!value.IsBool()) throw ConfigError(at + ": must be true or false");
      tls.insecure_skip_verify = value.GetBool();
    } else if (key == "tlsCACert" || key == "tlsCaCert") {
      tls.ca_file = read_string(value, at);
      if (tls.ca_file.empty()) throw ConfigError(at + ": must be the path of a PEM file");
    } else if (key == "tlsAuth") {
      tls.client_certificates = read_tls_auth(value, at);
    } else if (key == "tlsVersion") {
      read_tls_versions(value, at, tls);
    } else if (key == "tlsCipherSuites") {
      read_tls_cipher_suites(value, at, tls);
    }
  }
  return tls;
}

KeyValues resolve_test_tags(const rapidjson::Value& options, const KeyValues& command_line) {
  KeyValues tags;
  if (options.IsObject() && options.HasMember("tags"))
    tags = read_map(options["tags"], "options.tags");
  for (const auto& [key, value] : command_line) {
    auto same = [&](const auto& tag) { return tag.first == key; };
    if (auto it = std::find_if(tags.begin(), tags.end(), same); it != tags.end())
      it->second = value;
    else
      tags.emplace_back(key, value);
  }
  return tags;
}

void add_test_tags(ScenarioConfig& scenario, const KeyValues& test_tags) {
  for (const auto& tag : test_tags) {
    auto same = [&](const auto& own) { return own.first == tag.first; };
    if (std::none_of(scenario.tags.begin(), scenario.tags.end(), same))
      scenario.tags.push_back(tag);
  }
}

namespace {

// The shortcuts of one level (the script's options or the command line) as k6
// keeps them: `stages = {}` is set but empty, which k6 tells apart from unset.
struct ShortcutLevel {
  Shortcuts shortcuts;
  bool stages_set = false;
  const rapidjson::Value* scenarios = nullptr;  // null when unset (or nil)
  bool shapes_load() const {
    return shortcuts.duration || shortcuts.iterations || stages_set || scenarios;
  }
};

bool is_empty_table(const rapidjson::Value& value) {
  // A Lua {} is written as an empty JSON object.
  return (value.IsArray() && value.Empty()) || (value.IsObject() && value.MemberCount() == 0);
}

ShortcutLevel read_script_level(const rapidjson::Value& options) {
  ShortcutLevel script;
  if (options.IsNull()) return script;
  if (!options.IsObject()) throw ConfigError("options: must be a table");
  for (const auto& member : options.GetObject()) {
    std::string key = to_camel(member.name.GetString());
    std::string at = std::string("options.") + member.name.GetString();
    if (key == "vus") {
      script.shortcuts.vus = read_count(member.value, at);
    } else if (key == "duration") {
      script.shortcuts.duration = read_duration(member.value, at);
    } else if (key == "iterations") {
      script.shortcuts.iterations = read_count(member.value, at);
    } else if (key == "stages") {
      script.stages_set = true;
      if (!is_empty_table(member.value)) script.shortcuts.stages = read_stages(member.value, at);
    } else if (key == "scenarios" && !member.value.IsNull()) {
      script.scenarios = &member.value;
    }
  }
  return script;
}

ConfigError conflict(const std::string& where, const char* shortcut, const char* other) {
  return ConfigError(fmt::format("{}: using `{}` and `{}` options simultaneously is not allowed",
                                 where, shortcut, other));
}

// k6's DeriveScenariosFromShortcuts: which of the shortcuts, or the scenarios,
// make the run, and which combinations are errors.
std::optional<Shortcuts> derive_from_shortcuts(const ShortcutLevel& level, const std::string& where,
                                               std::vector<std::string>* warnings) {
  const Shortcuts& s = level.shortcuts;
  auto warn = [&](std::string text) {
    if (warnings) warnings->push_back(std::move(text));
  };
  if (s.iterations) {
    if (!s.stages.empty()) throw conflict(where, "iterations", "stages");
    if (level.scenarios) throw conflict(where, "iterations", "scenarios");
    return s;
  }
  if (s.duration) {
    if (!s.stages.empty()) throw conflict(where, "duration", "stages");
    if (level.scenarios) throw conflict(where, "duration", "scenarios");
    if (*s.duration <= 0)
      throw ConfigError(where +
                        ": `duration` option should be more than 0 (a scenario's executor "
                        "decides how long a test without one runs)");
    return s;
  }
  if (!s.stages.empty()) {
    if (level.scenarios) throw conflict(where, "stages", "scenarios");
    return s;
  }
  if (s.vus && !level.stages_set) {
    if (level.scenarios)
      warn(
          fmt::format("options: `vus={}` overrides scenarios configuration (as in k6: "
                      "{} iterations shared among {} VUs)",
                      *s.vus, *s.vus, *s.vus));
    return s;
  }
  if (level.scenarios && !is_empty_table(*level.scenarios)) return std::nullopt;
  if (level.stages_set)
    warn(
        "options.stages: was explicitly set to an empty value, running the script with 1 "
        "iteration in 1 VU");
  if (level.scenarios)
    warn(
        "options.scenarios: was explicitly set to an empty value, running the script with 1 "
        "iteration in 1 VU");
  return Shortcuts{};
}

}  // namespace

std::vector<ScenarioConfig> resolve_scenarios(const rapidjson::Value& options,
                                              const Shortcuts& command_line,
                                              std::vector<std::string>* warnings) {
  ShortcutLevel level = read_script_level(options);
  std::string where = "options";
  // As in k6, a duration, iterations or stages on the command line replace the
  // script's duration, iterations, stages and scenarios entirely; --vus only the VUs.
  if (command_line.duration || command_line.iterations || !command_line.stages.empty() ||
      command_line.stages_given) {
    if (level.scenarios && warnings)
      warnings->push_back("\"cli\" level configuration overrode scenarios configuration entirely");
    std::optional<int64_t> vus = level.shortcuts.vus;
    level = ShortcutLevel{};
    level.shortcuts = command_line;
    level.stages_set = !command_line.stages.empty() || command_line.stages_given;
    if (!level.shortcuts.vus) level.shortcuts.vus = vus;
    where = "command line";
  } else if (command_line.vus) {
    level.shortcuts.vus = command_line.vus;
    where = "command line";
  }

  std::vector<ScenarioConfig> result;
  if (std::optional<Shortcuts> shortcuts = derive_from_shortcuts(level, where, warnings)) {
    ScenarioConfig config = scenario_from_shortcuts(*shortcuts);
    validate(config, where);
    result.push_back(std::move(config));
    return result;
  }
  const rapidjson::Value* scenarios = level.scenarios;
  if (!scenarios->IsObject())
    throw ConfigError("options.scenarios: must be a table of name = { executor = ..., ... }");
  int64_t total_vus = 0;
  for (const auto& member : scenarios->GetObject()) {
    ScenarioConfig config = read_scenario(member.name.GetString(), member.value);
    validate(config, scenario_where(config.name));
    total_vus += config.executor_config->max_vus(Segment{});
    check_vus(total_vus, "options.scenarios");
    result.push_back(std::move(config));
  }
  return result;
}

}  // namespace lueng::exec
