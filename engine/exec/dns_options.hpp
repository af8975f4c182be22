#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <rapidjson/document.h>

#include "engine/http/dns_cache.hpp"

namespace lueng::exec {

// k6's dns option as a source gives it (lib/types/dns.go): each field set or
// not, so that the command line's --dns replaces only the fields it names.
struct DnsOption {
  std::optional<uint64_t> ttl_ns;  // http::DnsConfig::kForever for "inf"
  std::optional<http::DnsConfig::Select> select;
  std::optional<http::DnsConfig::Policy> policy;
};

// options.dns = { ttl = "1m", select = "roundRobin", policy = "preferIPv4" };
// nothing set when absent. Throws ConfigError naming options.dns.<field>.
DnsOption read_dns_option(const rapidjson::Value& options);

// --dns "ttl=1m,select=roundRobin,policy=any" into `out`: "" or the problem, in
// k6's words ("no value for key select=", "unknown DNS configuration field: blah").
std::string parse_dns_flag(std::string_view text, DnsOption& out);

// The script's option with the command line's fields over it, k6's defaults
// (ttl 5m, select random, policy preferIPv4) for what neither sets.
http::DnsConfig resolve_dns(const DnsOption& script, const DnsOption& flag);

}  // namespace lueng::exec
