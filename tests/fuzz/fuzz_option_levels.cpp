// The option levels from outside the script (engine/exec): K6_* variables and a
// config file. The input up to its first blank line is a config file's JSON,
// each line after it a variable NAME=VALUE (a line without '=' is VALUE for
// K6_STAGES, the variable with the most syntax); the whole input is also an
// error message whose options are looked up in the levels' sources.
//
// Each variable's line is also read as a hosts entry (NAME = "VALUE", k6's
// hosts option with ports, engine/http/host_map.hpp).
//
// Checked besides crashes: a hosts entry that reads has one address and its
// ports in range; what read_env_options accepts is an options object
// (or null) naming each option's variable; the stacked options are an object or
// null, and stacking them again, alone, changes nothing.
#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <map>
#include <string>
#include <string_view>

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "engine/common/json_parse.hpp"
#include "engine/exec/env_options.hpp"
#include "engine/exec/option_layers.hpp"
#include "engine/http/host_map.hpp"

namespace {

std::string text_of(const rapidjson::Value& value) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
  value.Accept(writer);
  return buffer.GetString();
}

void check_host_mapping(std::string_view line) {
  size_t eq = line.find('=');
  if (eq == std::string_view::npos) return;
  lueng::http::HostMapping mapping;
  if (!lueng::http::parse_host_mapping(line.substr(0, eq), line.substr(eq + 1), &mapping).empty())
    return;
  if (mapping.address.size() != 1 || mapping.host.empty()) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  for (size_t start = 0; start < text.size();) {
    size_t end = std::min(text.find('\n', start), text.size());
    check_host_mapping(text.substr(start, end - start));
    start = end + 1;
  }
  size_t blank = text.find("\n\n");
  std::string file(text.substr(0, blank));
  std::map<std::string, std::string> env;
  if (blank != std::string_view::npos) {
    std::string_view rest = text.substr(blank + 2);
    while (!rest.empty()) {
      std::string_view line = rest.substr(0, rest.find('\n'));
      rest.remove_prefix(std::min(rest.size(), line.size() + 1));
      size_t eq = line.find('=');
      if (eq == std::string_view::npos)
        env["K6_STAGES"] = std::string(line);
      else
        env[std::string(line.substr(0, eq))] = std::string(line.substr(eq + 1));
    }
  }
  lueng::exec::EnvOptions env_options;
  std::string problem = lueng::exec::read_env_options(
      [&env](const char* name) -> const char* {
        auto it = env.find(name);
        return it == env.end() ? nullptr : it->second.c_str();
      },
      env_options);
  if (!problem.empty()) return 0;
  rapidjson::Document read;
  if (!lueng::parse_json_bounded(env_options.json, read, nullptr)) std::abort();
  if (!(read.IsNull() || read.IsObject()) || read.IsNull() != env_options.sources.empty())
    std::abort();
  lueng::exec::ConsolidatedOptions stacked =
      lueng::exec::consolidate_options({{"file", file, {}, "config file 'c.json'"},
                                        {"script", "null", {}, ""},
                                        {"env", env_options.json, env_options.sources, ""}});
  if (!stacked.options.IsNull() && !stacked.options.IsObject()) std::abort();
  std::string once = text_of(stacked.options);
  lueng::exec::ConsolidatedOptions again =
      lueng::exec::consolidate_options({{"script", once, {}, ""}});
  if (text_of(again.options) != once) std::abort();
  (void)lueng::exec::with_option_sources(std::string(text), stacked.sources);
  return 0;
}
