#include "engine/exec/dns_options.hpp"

#include <array>
#include <cmath>
#include <utility>

#include "engine/common/duration.hpp"
#include "engine/exec/option_values.hpp"

namespace lueng::exec {

namespace {

using Select = http::DnsConfig::Select;
using Policy = http::DnsConfig::Policy;

constexpr std::array<std::pair<std::string_view, Select>, 3> kSelects = {{
    {"first", Select::kFirst},
    {"roundRobin", Select::kRoundRobin},
    {"random", Select::kRandom},
}};

constexpr std::array<std::pair<std::string_view, Policy>, 5> kPolicies = {{
    {"preferIPv4", Policy::kPreferIPv4},
    {"preferIPv6", Policy::kPreferIPv6},
    {"onlyIPv4", Policy::kOnlyIPv4},
    {"onlyIPv6", Policy::kOnlyIPv6},
    {"any", Policy::kAny},
}};

// k6's flag default, which k6 reads as "nothing set" (DNSConfig.UnmarshalText).
constexpr std::string_view kDefaultText = "ttl=5m,select=random,policy=preferIPv4";

// k6's parseTTL: "inf" forever, "0" never, "" the default, else a duration as a
// script writes one (a number alone is milliseconds). "" or the problem.
std::string read_ttl(std::string_view text, std::optional<uint64_t>& out) {
  if (text == "inf") {
    out = http::DnsConfig::kForever;
    return "";
  }
  if (text.empty()) {
    out.reset();
    return "";
  }
  std::optional<double> seconds = parse_duration(text);
  if (!seconds || *seconds < 0) return "invalid DNS TTL: " + std::string(text);
  double ns = std::round(*seconds * 1e9);
  out = ns >= 1.8e19 ? http::DnsConfig::kForever : static_cast<uint64_t>(ns);
  return "";
}

template <typename Value, size_t N>
std::string read_name(std::string_view text,
                      const std::array<std::pair<std::string_view, Value>, N>& names,
                      std::optional<Value>& out) {
  for (const auto& [name, value] : names) {
    if (name != text) continue;
    out = value;
    return "";
  }
  std::string known;
  for (const auto& [name, value] : names) known += (known.empty() ? "" : ", ") + std::string(name);
  return "'" + std::string(text) + "' is not one of " + known;
}

// One field of either form: "" or the problem.
std::string read_field(std::string_view key, std::string_view value, DnsOption& out) {
  if (key == "ttl") return read_ttl(value, out.ttl_ns);
  if (key == "select") return read_name(value, kSelects, out.select);
  if (key == "policy") return read_name(value, kPolicies, out.policy);
  return "unknown DNS configuration field: " + std::string(key);
}

}  // namespace

DnsOption read_dns_option(const rapidjson::Value& options) {
  DnsOption dns;
  if (!options.IsObject()) return dns;
  for (const auto& member : options.GetObject()) {
    if (to_camel(member.name.GetString()) != "dns") continue;
    std::string at = std::string("options.") + member.name.GetString();
    if (!member.value.IsObject())
      throw ConfigError(at +
                        ": must be a table such as { ttl = \"1m\", select = \"roundRobin\", "
                        "policy = \"preferIPv4\" }");
    for (const auto& field : member.value.GetObject()) {
      std::string where = at + "." + field.name.GetString();
      const rapidjson::Value& value = field.value;
      if (value.IsNull()) continue;  // k6: null leaves the field unset
      std::string text;
      if (value.IsString()) {
        text.assign(value.GetString(), value.GetStringLength());
      } else if (value.IsNumber() && std::string_view(field.name.GetString()) == "ttl") {
        // A number is milliseconds, as "500" is.
        text = std::to_string(value.GetDouble());
      } else {
        throw ConfigError(where + ": must be a string");
      }
      if (std::string problem = read_field(field.name.GetString(), text, dns); !problem.empty())
        throw ConfigError(where + ": " + problem);
    }
  }
  return dns;
}

std::string parse_dns_flag(std::string_view text, DnsOption& out) {
  if (text == kDefaultText) return "";
  while (true) {
    size_t comma = text.find(',');
    std::string_view pair = text.substr(0, comma);
    size_t eq = pair.find('=');
    std::string_view key = pair.substr(0, eq);
    std::string_view value = eq == std::string_view::npos ? "" : pair.substr(eq + 1);
    if (value.empty()) return "no value for key " + std::string(pair);
    if (std::string problem = read_field(key, value, out); !problem.empty()) return problem;
    if (comma == std::string_view::npos) return "";
    text.remove_prefix(comma + 1);
  }
}

http::DnsConfig resolve_dns(const DnsOption& script, const DnsOption& flag) {
  http::DnsConfig config;
  if (auto ttl = flag.ttl_ns ? flag.ttl_ns : script.ttl_ns) config.ttl_ns = *ttl;
  if (auto select = flag.select ? flag.select : script.select) config.select = *select;
  if (auto policy = flag.policy ? flag.policy : script.policy) config.policy = *policy;
  return config;
}

}  // namespace lueng::exec
