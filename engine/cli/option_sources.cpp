#include "engine/cli/option_sources.hpp"

#include <array>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string_view>

#include <fmt/format.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "engine/common/json_parse.hpp"
#include "engine/common/text_file.hpp"
#include "engine/exec/env_options.hpp"

namespace lueng::cli {

namespace {

// Settings of k6's command that its config file holds besides the options
// (internal/cmd/config.go, Config), and what lueng has instead.
struct CommandSetting {
  std::string_view key;
  std::string_view instead;
};
constexpr std::array<CommandSetting, 6> kCommandSettings = {{
    {"out", "give outputs with -o/--out"},
    {"webDashboard", "use --dashboard or K6_WEB_DASHBOARD=true"},
    {"linger", "lueng has no REST API to linger for"},
    {"noUsageReport", "lueng sends no usage report"},
    {"noArchiveUpload", "k6 Cloud's setting"},
    {"collectors", "k6 Cloud's and outputs' settings; give outputs with -o/--out"},
}};

std::string read_config_file(const std::string& path, exec::OptionLevel& level) {
  std::string named = "config file '" + path + "'";
  std::optional<std::string> text = read_text_file(path);
  if (!text) return named + ": cannot be read: " + std::strerror(errno);
  rapidjson::Document document;
  JsonParseError error;
  if (!parse_json_bounded(*text, document, &error))
    return fmt::format("{}: not valid JSON at byte {}: {}", named, error.offset, error.what);
  if (document.IsNull()) return "";
  if (!document.IsObject())
    return named + ": must be a JSON object of options ({\"vus\": 10, \"duration\": \"30s\"})";
  for (const CommandSetting& setting : kCommandSettings)
    if (document.HasMember(setting.key.data())) {
      fprintf(stderr, "WARN %s: %s: a setting of k6's command, not of the test (%s); ignored\n",
              named.c_str(), setting.key.data(), setting.instead.data());
      document.RemoveMember(setting.key.data());
    }
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
  document.Accept(writer);
  level.json = buffer.GetString();
  level.source = named;
  return "";
}

}  // namespace

std::string read_option_levels(const std::string& config_flag, exec::TestRunConfig& config) {
  std::string path = config_flag;
  if (const char* from_env = std::getenv("K6_CONFIG"); path.empty() && from_env) path = from_env;
  if (!path.empty())
    if (std::string problem = read_config_file(path, config.config_file); !problem.empty())
      return problem;
  exec::EnvOptions env;
  if (std::string problem =
          exec::read_env_options([](const char* name) { return std::getenv(name); }, env);
      !problem.empty())
    return problem;
  for (const std::string& warning : env.warnings) fprintf(stderr, "WARN %s\n", warning.c_str());
  config.environment.json = env.json;
  config.environment.sources = env.sources;
  return "";
}

}  // namespace lueng::cli
