#include "engine/exec/http_options.hpp"

#include <cmath>

#include "engine/common/byte_size.hpp"
#include "engine/common/text.hpp"
#include "engine/exec/options.hpp"
#include "engine/http/field_syntax.hpp"
#include "engine/http/host_map.hpp"

namespace lueng::exec {

namespace {

int64_t read_whole(const rapidjson::Value& value, const std::string& where, int64_t minimum) {
  if (!value.IsNumber() || value.GetDouble() != std::floor(value.GetDouble()) ||
      value.GetDouble() < static_cast<double>(minimum))
    throw ConfigError(where + ": must be a whole number >= " + std::to_string(minimum));
  if (value.GetDouble() > kLargestCount) throw ConfigError(where + ": " + kTooLarge);
  return static_cast<int64_t>(value.GetDouble());
}

bool read_bool(const rapidjson::Value& value, const std::string& where) {
  if (!value.IsBool()) throw ConfigError(where + ": must be true or false");
  return value.GetBool();
}

// k6's hosts: { ["api.example.com"] = "127.0.0.1", ["api.example.com:443"] =
// "127.0.0.1:8443" }: the entries as written, each checked here.
std::vector<std::pair<std::string, std::string>> read_hosts(const rapidjson::Value& value,
                                                            const std::string& where) {
  if (!value.IsObject()) throw ConfigError(where + ": must be a table of host name = IP address");
  std::vector<std::pair<std::string, std::string>> hosts;
  for (const auto& member : value.GetObject()) {
    std::string host = member.name.GetString();
    std::string at = where + "[\"" + host + "\"]";
    if (!member.value.IsString()) throw ConfigError(at + ": must be an IP address as a string");
    std::string target = member.value.GetString();
    http::HostMapping mapping;
    if (std::string problem = http::parse_host_mapping(host, target, &mapping); !problem.empty())
      throw ConfigError(at + ": " + problem);
    hosts.emplace_back(std::move(host), std::move(target));
  }
  return hosts;
}

// A JSON array of strings, each read by `add` ("" or its problem).
template <typename Add>
void read_string_list(const rapidjson::Value& value, const std::string& where, Add add) {
  if (value.IsNull() || (value.IsObject() && value.ObjectEmpty())) return;  // Lua's {}
  if (!value.IsArray()) throw ConfigError(where + ": must be a list of strings");
  for (rapidjson::SizeType i = 0; i < value.Size(); ++i) {
    std::string at = where + "[" + std::to_string(i + 1) + "]";
    if (!value[i].IsString()) throw ConfigError(at + ": must be a string");
    if (std::string problem = add(std::string_view(value[i].GetString())); !problem.empty())
      throw ConfigError(at + ": " + problem);
  }
}

// Items of a comma-separated list, blanks around them trimmed, empty ones skipped.
template <typename Add>
std::string read_text_list(std::string_view text, Add add) {
  for (std::string_view part : split(text, ',')) {
    std::string_view item = trim_whitespace(part);
    if (!item.empty())
      if (std::string problem = add(item); !problem.empty()) return problem;
  }
  return "";
}

std::string add_cidr(std::string_view text, std::vector<http::IpNet>& out) {
  http::IpNet net;
  std::string problem = http::parse_cidr(text, net);
  if (!problem.empty()) return "failed to parse CIDR '" + std::string(text) + "': " + problem;
  out.push_back(std::move(net));
  return "";
}

}  // namespace

std::optional<HttpDebug> parse_http_debug(std::string_view text) {
  if (text.empty()) return HttpDebug::kOff;
  if (text == "headers") return HttpDebug::kHeaders;
  if (text == "full") return HttpDebug::kFull;
  return std::nullopt;
}

std::string parse_blacklist_ips(std::string_view text, std::vector<http::IpNet>& out) {
  return read_text_list(text, [&](std::string_view item) { return add_cidr(item, out); });
}

std::string parse_block_hostnames(std::string_view text, http::HostnamePatterns& out) {
  return read_text_list(text, [&](std::string_view item) { return out.add(item); });
}

uint64_t read_byte_size(const rapidjson::Value& value, const std::string& where) {
  if (value.IsNumber()) return static_cast<uint64_t>(read_whole(value, where, 0));
  if (value.IsString()) {
    if (auto bytes = parse_byte_size(value.GetString())) return *bytes;
    throw ConfigError(where + ": '" + value.GetString() +
                      "' is not a size (use bytes, or e.g. \"512KB\", \"64MiB\")");
  }
  throw ConfigError(where + ": must be a number of bytes or a size such as \"64MiB\"");
}

HttpOptions read_http_options(const rapidjson::Value& options) {
  HttpOptions http;
  if (!options.IsObject()) return http;
  for (const auto& member : options.GetObject()) {
    std::string key = to_camel(member.name.GetString());
    std::string at = std::string("options.") + member.name.GetString();
    const rapidjson::Value& value = member.value;
    if (key == "userAgent") {
      if (!value.IsString()) throw ConfigError(at + ": must be a string");
      std::string agent(value.GetString(), value.GetStringLength());
      // It goes into every request's head: a line break there would split them all.
      if (size_t bad = http::find_invalid_value_byte(agent); bad != std::string::npos)
        throw ConfigError(at + ": holds " + http::describe_byte(agent[bad]) +
                          " (CR, LF and NUL would split or cut every request)");
      http.user_agent = std::move(agent);
    } else if (key == "maxRedirects") {
      http.max_redirects = read_whole(value, at, 0);
    } else if (key == "discardResponseBodies") {
      http.discard_response_bodies = read_bool(value, at);
    } else if (key == "noCookiesReset") {
      http.no_cookies_reset = read_bool(value, at);
    } else if (key == "rps") {
      http.rps = read_whole(value, at, 0);
    } else if (key == "throw") {
      http.throw_errors = read_bool(value, at);
    } else if (key == "noConnectionReuse") {
      http.no_connection_reuse = read_bool(value, at);
    } else if (key == "noVUConnectionReuse" || key == "noVuConnectionReuse") {  // snake_case
      http.no_vu_connection_reuse = read_bool(value, at);
    } else if (key == "httpDebug") {
      const char* choices = "\"headers\", \"full\" or \"\" (off)";
      if (!value.IsString()) throw ConfigError(at + ": must be " + choices);
      std::optional<HttpDebug> mode = parse_http_debug(value.GetString());
      if (!mode) throw ConfigError(at + ": '" + value.GetString() + "' is not " + choices);
      http.http_debug = *mode;
    } else if (key == "batch") {
      http.batch = read_whole(value, at, 1);
    } else if (key == "batchPerHost") {
      http.batch_per_host = read_whole(value, at, 0);
    } else if (key == "maxResponseBodySize") {
      http.max_response_body_size = read_byte_size(value, at);
    } else if (key == "hosts") {
      http.hosts = read_hosts(value, at);
    } else if (key == "blacklistIPs" || key == "blacklistIps") {
      http.block_lists.ips.clear();
      read_string_list(value, at,
                       [&](std::string_view item) { return add_cidr(item, http.block_lists.ips); });
    } else if (key == "blockHostnames") {
      http.block_lists.hosts = {};
      read_string_list(value, at,
                       [&](std::string_view item) { return http.block_lists.hosts.add(item); });
    }
  }
  return http;
}

}  // namespace lueng::exec
