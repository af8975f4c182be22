#include "engine/exec/options.hpp"

#include <algorithm>
#include <cmath>
#include <set>

#include <fmt/format.h>

#include "engine/common/duration.hpp"
#include "engine/common/memory_limit.hpp"
#include "engine/exec/executor.hpp"
#include "engine/http/tls_cipher_suites.hpp"
#include "engine/http/tls_material.hpp"

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

int64_t read_count(const rapidjson::Value& value, const std::string& where) {
  if (!value.IsNumber() || value.GetDouble() != std::floor(value.GetDouble()) ||
      value.GetDouble() < 0)
    throw ConfigError(where + ": must be a whole number >= 0");
  if (value.GetDouble() > kLargestCount) throw ConfigError(where + ": " + kTooLarge);
  return static_cast<int64_t>(value.GetDouble());
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

ScenarioConfig read_scenario(const std::string& name, const rapidjson::Value& table) {
  std::string where = "options.scenarios." + name;
  if (!table.IsObject()) throw ConfigError(where + ": must be a table");
  ScenarioConfig config;
  config.name = name;
  for (const auto& member : table.GetObject()) {
    std::string key = to_camel(member.name.GetString());
    std::string at = where + "." + member.name.GetString();
    const rapidjson::Value& value = member.value;
    if (key == "executor") {
      if (!value.IsString()) throw ConfigError(at + ": must be a string");
      config.executor = value.GetString();
    } else if (key == "exec") {
      if (!value.IsString()) throw ConfigError(at + ": must be the name of a function");
      config.exec = value.GetString();
    } else if (key == "startTime") {
      config.start_time = read_duration(value, at);
    } else if (key == "gracefulStop") {
      config.graceful_stop = read_duration(value, at);
    } else if (key == "tags") {
      config.tags = read_map(value, at);
    } else if (key == "env") {
      config.env = read_map(value, at);
    } else if (key == "vus") {
      config.vus = read_count(value, at);
    } else if (key == "iterations") {
      config.iterations = read_count(value, at);
    } else if (key == "duration") {
      config.duration = read_duration(value, at);
    } else if (key == "maxDuration") {
      config.max_duration = read_duration(value, at);
    } else if (key == "startVUs" || key == "startVus") {
      config.start_vus = read_count(value, at);
    } else if (key == "stages") {
      config.stages = read_stages(value, at);
    } else if (key == "gracefulRampDown") {
      config.graceful_ramp_down = read_duration(value, at);
    } else if (key == "rate") {
      config.rate = read_count(value, at);
    } else if (key == "startRate") {
      config.start_rate = read_count(value, at);
    } else if (key == "timeUnit") {
      config.time_unit = read_duration(value, at);
      if (config.time_unit <= 0) throw ConfigError(at + ": must be longer than 0s");
    } else if (key == "preAllocatedVUs" || key == "preAllocatedVus") {
      config.pre_allocated_vus = read_count(value, at);
    } else if (key == "maxVUs" || key == "maxVus") {
      config.max_vus = read_count(value, at);
    } else if (key == "breakingPoint") {
      read_breaking_point(value, at, config);
    } else {
      throw ConfigError(at + ": unknown scenario option");
    }
  }
  if (config.executor.empty()) throw ConfigError(where + ".executor: is required");
  return config;
}

ScenarioConfig from_shortcuts(const Shortcuts& s) {
  ScenarioConfig config;
  config.name = "default";
  config.vus = s.vus.value_or(1);
  if (!s.stages.empty()) {
    config.executor = "ramping-vus";
    config.start_vus = s.vus.value_or(1);
    config.stages = s.stages;
  } else if (s.duration && s.iterations) {
    config.executor = "shared-iterations";
    config.iterations = *s.iterations;
    config.max_duration = *s.duration;
  } else if (s.duration) {
    config.executor = "constant-vus";
    config.duration = *s.duration;
  } else if (s.iterations) {
    config.executor = "shared-iterations";
    config.iterations = *s.iterations;
  } else {
    config.executor = "per-vu-iterations";
    config.iterations = 1;
  }
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
  const ExecutorKind* kind = find_executor(config.executor);
  if (!kind)
    throw ConfigError(where + ".executor: unknown executor '" + config.executor +
                      "' (known: " + executor_names() + ")");
  if (std::string problem = kind->validate(config); !problem.empty())
    throw ConfigError(where + ": " + problem);
  check_vus(kind->max_vus(config, Segment{}), where);
}

}  // namespace

double read_duration(const rapidjson::Value& value, const std::string& where) {
  if (value.IsNumber()) {
    if (value.GetDouble() < 0) throw ConfigError(where + ": must not be negative");
    return value.GetDouble() / 1000.0;
  }
  if (value.IsString()) {
    if (auto seconds = parse_duration(value.GetString())) return *seconds;
    throw ConfigError(where + ": '" + value.GetString() +
                      "' is not a duration (use e.g. 500ms, 30s, 2m30s, 1h)");
  }
  throw ConfigError(where + ": must be a duration string such as \"30s\"");
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

std::vector<ScenarioConfig> resolve_scenarios(const rapidjson::Value& options,
                                              const Shortcuts& command_line) {
  Shortcuts script;
  const rapidjson::Value* scenarios = nullptr;
  if (options.IsObject()) {
    for (const auto& member : options.GetObject()) {
      std::string key = to_camel(member.name.GetString());
      std::string at = std::string("options.") + member.name.GetString();
      if (key == "vus")
        script.vus = read_count(member.value, at);
      else if (key == "duration")
        script.duration = read_duration(member.value, at);
      else if (key == "iterations")
        script.iterations = read_count(member.value, at);
      else if (key == "stages")
        script.stages = read_stages(member.value, at);
      else if (key == "scenarios")
        scenarios = &member.value;
    }
  } else if (!options.IsNull()) {
    throw ConfigError("options: must be a table");
  }

  std::vector<ScenarioConfig> result;
  if (command_line.any() || !scenarios) {
    Shortcuts merged = script;
    if (command_line.any()) merged = command_line;
    if (!merged.stages.empty() && (merged.duration || merged.iterations))
      throw ConfigError(std::string(command_line.any() ? "command line" : "options") +
                        ": stages cannot be combined with duration or iterations");
    if (command_line.any() && !command_line.vus && script.vus) merged.vus = script.vus;
    ScenarioConfig config = from_shortcuts(merged);
    validate(config, command_line.any() ? "command line" : "options");
    result.push_back(std::move(config));
    return result;
  }
  if (!scenarios->IsObject() || scenarios->MemberCount() == 0)
    throw ConfigError("options.scenarios: must be a table with at least one scenario");
  std::set<std::string> execs;
  int64_t total_vus = 0;
  for (const auto& member : scenarios->GetObject()) {
    ScenarioConfig config = read_scenario(member.name.GetString(), member.value);
    validate(config, std::string("options.scenarios.") + member.name.GetString());
    total_vus += find_executor(config.executor)->max_vus(config, Segment{});
    check_vus(total_vus, "options.scenarios");
    result.push_back(std::move(config));
  }
  return result;
}

}  // namespace lueng::exec
