#include "engine/exec/env_options.hpp"

#include <array>
#include <charconv>
#include <cstdint>
#include <string_view>
#include <system_error>

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "engine/common/duration.hpp"
#include "engine/common/text.hpp"
#include "engine/exec/dns_options.hpp"

namespace lueng::exec {

namespace {

enum class Kind { kCount, kDuration, kBool, kText, kStages, kTags, kList, kDns };

struct EnvOption {
  const char* variable;
  const char* option;  // k6's camelCase name
  Kind kind;
};

// In lib/options.go's order.
constexpr std::array<EnvOption, 29> kEnvOptions = {{
    {"K6_VUS", "vus", Kind::kCount},
    {"K6_DURATION", "duration", Kind::kDuration},
    {"K6_ITERATIONS", "iterations", Kind::kCount},
    {"K6_STAGES", "stages", Kind::kStages},
    {"K6_NO_SETUP", "noSetup", Kind::kBool},
    {"K6_SETUP_TIMEOUT", "setupTimeout", Kind::kDuration},
    {"K6_NO_TEARDOWN", "noTeardown", Kind::kBool},
    {"K6_TEARDOWN_TIMEOUT", "teardownTimeout", Kind::kDuration},
    {"K6_HANDLE_SUMMARY_TIMEOUT", "handleSummaryTimeout", Kind::kDuration},
    {"K6_MAX_REDIRECTS", "maxRedirects", Kind::kCount},
    {"K6_USER_AGENT", "userAgent", Kind::kText},
    {"K6_BATCH", "batch", Kind::kCount},
    {"K6_BATCH_PER_HOST", "batchPerHost", Kind::kCount},
    {"K6_HTTP_DEBUG", "httpDebug", Kind::kText},
    {"K6_INSECURE_SKIP_TLS_VERIFY", "insecureSkipTLSVerify", Kind::kBool},
    {"K6_MIN_ITERATION_DURATION", "minIterationDuration", Kind::kDuration},
    {"K6_TAGS", "tags", Kind::kTags},
    {"K6_NO_COOKIES_RESET", "noCookiesReset", Kind::kBool},
    {"K6_DISCARD_RESPONSE_BODIES", "discardResponseBodies", Kind::kBool},
    {"K6_RPS", "rps", Kind::kCount},
    {"K6_THROW", "throw", Kind::kBool},
    {"K6_NO_CONNECTION_REUSE", "noConnectionReuse", Kind::kBool},
    {"K6_NO_VU_CONNECTION_REUSE", "noVUConnectionReuse", Kind::kBool},
    {"K6_BLACKLIST_IPS", "blacklistIPs", Kind::kList},
    {"K6_BLOCK_HOSTNAMES", "blockHostnames", Kind::kList},
    {"K6_SUMMARY_TREND_STATS", "summaryTrendStats", Kind::kList},
    {"K6_SUMMARY_TIME_UNIT", "summaryTimeUnit", Kind::kText},
    {"K6_SYSTEM_TAGS", "systemTags", Kind::kList},
    {"K6_DNS", "dns", Kind::kDns},
}};

// Options lueng reads from a script or a config file only: their k6 text forms
// (JSON in a variable, k6's host list syntax) are not worth a second reader.
constexpr std::array<const char*, 4> kNotFromEnv = {"K6_TLS_CIPHER_SUITES", "K6_TLSAUTH",
                                                    "K6_THRESHOLDS", "K6_HOSTS"};

// k6 options lueng does not implement (docs/from-k6.md, "k6's other options").
// K6_LOCAL_IPS is read with --local-ips (engine/cli), as k6 reads it: no script
// option matches it.
constexpr std::array<const char*, 5> kNotImplemented = {
    "K6_PAUSED", "K6_METRIC_SAMPLES_BUFFER_SIZE", "K6_LINGER", "K6_CONSOLE_OUTPUT",
    "K6_NO_USAGE_REPORT"};

using Writer = rapidjson::Writer<rapidjson::StringBuffer>;

// Go's strconv.ParseInt(text, 10, 64), which k6's null.Int reads with.
bool read_integer(std::string_view text, int64_t& value) {
  if (!text.empty() && text[0] == '+') text.remove_prefix(1);
  if (text.empty() || text[0] == '+') return false;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  return error == std::errc() && end == text.data() + text.size();
}

std::string quoted(std::string_view text) {
  return "'" + std::string(text) + "'";
}

std::string write_stages(std::string_view text, Writer& writer) {
  writer.StartArray();
  for (std::string_view item : split(text, ',')) {
    size_t colon = item.find(':');
    const char* usage = " (use DURATION:TARGET,DURATION:TARGET,..., e.g. 30s:10,1m:10)";
    if (colon == std::string_view::npos) return "stage " + quoted(item) + " has no target" + usage;
    std::string why;
    std::string_view length = item.substr(0, colon);
    auto seconds = parse_flag_duration(length, &why);
    if (!seconds)
      return "stage " + quoted(item) + ": duration " + quoted(length) + ": " + why + usage;
    if (*seconds < 0) return "stage " + quoted(item) + ": the duration is negative" + usage;
    int64_t target = 0;
    if (!read_integer(item.substr(colon + 1), target) || target < 0)
      return "stage " + quoted(item) + ": the target is not a whole number of VUs" + usage;
    writer.StartObject();
    writer.Key("duration");
    writer.String(length.data(), static_cast<rapidjson::SizeType>(length.size()));
    writer.Key("target");
    writer.Int64(target);
    writer.EndObject();
  }
  writer.EndArray();
  return "";
}

// k6's envconfig map: "name:value,name:value", a value may hold ':'.
std::string write_tags(std::string_view text, Writer& writer) {
  writer.StartObject();
  for (std::string_view item : split(text, ',')) {
    size_t colon = item.find(':');
    if (colon == std::string_view::npos || colon == 0)
      return "tag " + quoted(item) + " is not NAME:VALUE (use name:value,name:value)";
    writer.Key(item.data(), static_cast<rapidjson::SizeType>(colon));
    std::string_view value = item.substr(colon + 1);
    writer.String(value.data(), static_cast<rapidjson::SizeType>(value.size()));
  }
  writer.EndObject();
  return "";
}

// k6's comma-separated lists (systemTags, summaryTrendStats); `""`, k6's way of
// saying none where the value is a CSV field, and blank items are no items.
std::string write_list(std::string_view text, Writer& writer) {
  writer.StartArray();
  for (std::string_view part : split(text, ',')) {
    std::string_view item = trim_whitespace(part);
    if (!item.empty() && item != "\"\"")
      writer.String(item.data(), static_cast<rapidjson::SizeType>(item.size()));
  }
  writer.EndArray();
  return "";
}

// --dns's syntax ("ttl=1m,select=first,policy=any") into options.dns's table,
// checked as the flag is.
std::string write_dns(std::string_view text, Writer& writer) {
  DnsOption checked;
  if (std::string problem = parse_dns_flag(text, checked); !problem.empty()) return problem;
  writer.StartObject();
  for (std::string_view item : split(text, ',')) {
    size_t eq = item.find('=');
    std::string_view key = trim_whitespace(item.substr(0, eq));
    std::string_view value = trim_whitespace(item.substr(eq + 1));
    writer.Key(key.data(), static_cast<rapidjson::SizeType>(key.size()));
    writer.String(value.data(), static_cast<rapidjson::SizeType>(value.size()));
  }
  writer.EndObject();
  return "";
}

std::string write_value(const EnvOption& option, std::string_view text, Writer& writer) {
  switch (option.kind) {
    case Kind::kCount: {
      int64_t value = 0;
      if (!read_integer(text, value)) return quoted(text) + " is not a whole number";
      writer.Int64(value);
      return "";
    }
    case Kind::kDuration:
      if (!parse_duration(text))
        return quoted(text) +
               " is not a duration (e.g. 30s, 1m30s, 1h, 1d; a number alone is milliseconds)";
      writer.String(text.data(), static_cast<rapidjson::SizeType>(text.size()));
      return "";
    case Kind::kBool:
      if (text != "true" && text != "false") return quoted(text) + " is not true or false";
      writer.Bool(text == "true");
      return "";
    case Kind::kText:
      writer.String(text.data(), static_cast<rapidjson::SizeType>(text.size()));
      return "";
    case Kind::kStages:
      return write_stages(text, writer);
    case Kind::kTags:
      return write_tags(text, writer);
    case Kind::kList:
      return write_list(text, writer);
    case Kind::kDns:
      return write_dns(text, writer);
  }
  return "";
}

}  // namespace

std::string read_env_options(const std::function<const char*(const char*)>& getenv,
                             EnvOptions& out) {
  out = EnvOptions{};
  rapidjson::StringBuffer buffer;
  Writer writer(buffer);
  writer.StartObject();
  for (const EnvOption& option : kEnvOptions) {
    const char* value = getenv(option.variable);
    // An empty variable is unset, as k6's null types read empty text.
    if (!value || !*value) continue;
    writer.Key(option.option);
    if (std::string problem = write_value(option, value, writer); !problem.empty())
      return std::string(option.variable) + ": " + problem;
    out.sources[option.option] = option.variable;
  }
  writer.EndObject();
  if (!out.sources.empty()) out.json = buffer.GetString();
  for (const char* variable : kNotFromEnv)
    if (const char* value = getenv(variable); value && *value)
      out.warnings.push_back(std::string(variable) +
                             ": lueng reads this option from the script's options or a --config "
                             "file only; ignored");
  for (const char* variable : kNotImplemented)
    if (const char* value = getenv(variable); value && *value)
      out.warnings.push_back(std::string(variable) +
                             ": a k6 option lueng does not implement (docs/from-k6.md, \"k6's "
                             "other options\"); ignored");
  if (const char* outputs = getenv("K6_OUT"); outputs && *outputs)
    out.warnings.push_back("K6_OUT: lueng takes its outputs from -o/--out only; ignored");
  return "";
}

}  // namespace lueng::exec
