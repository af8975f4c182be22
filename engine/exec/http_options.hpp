#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <rapidjson/document.h>

#include "engine/http/block_lists.hpp"
#include "engine/http/dns_cache.hpp"
#include "engine/http/ip_pool.hpp"

namespace lueng::exec {

// httpDebug: every request and response printed to stderr as it completes
// (http_debug.hpp): their heads, or heads and bodies.
enum class HttpDebug : uint8_t { kOff, kHeaders, kFull };

// k6's values: "" (off), "headers", "full"; nullopt for any other.
std::optional<HttpDebug> parse_http_debug(std::string_view text);

// The script's global HTTP options, with k6's names. Per-request params may
// override some of them (see bindings/module_http.cpp).
struct HttpOptions {
  std::optional<std::string> user_agent;  // userAgent; unset: "lueng/<version>", "": none
  int64_t max_redirects = 10;             // maxRedirects
  bool discard_response_bodies = false;   // discardResponseBodies
  bool no_cookies_reset = false;          // noCookiesReset: keep cookies across iterations
  // rps: at most this many requests start per second over all VUs; 0: no limit.
  int64_t rps = 0;
  // noConnectionReuse: every request goes on a new connection ("Connection: close"),
  // as Go's DisableKeepAlives in k6.
  bool no_connection_reuse = false;
  // throw: a request that gets no response raises a Lua error (params.throw's default).
  bool throw_errors = false;
  // noVUConnectionReuse: a VU's idle connections close between its iterations.
  bool no_vu_connection_reuse = false;
  HttpDebug http_debug = HttpDebug::kOff;  // httpDebug, --http-debug
  int64_t batch = 20;                      // batch: parallel requests of one http.batch
  int64_t batch_per_host = 6;              // batchPerHost: ... to one host; 0: no limit
  // maxResponseBodySize: a kept body (decoded) past it fails the request; 0: no
  // limit. Large enough for any API answer, small enough that a gzip bomb per VU
  // cannot take the machine's memory.
  uint64_t max_response_body_size = 64 << 20;
  // dns: how each worker remembers answers and picks addresses (k6's defaults;
  // set by the run from options.dns and --dns, see dns_options.hpp).
  http::DnsConfig dns;
  // hosts: a host name and the IP literal it resolves to, for the whole run.
  std::vector<std::pair<std::string, std::string>> hosts;
  // blacklistIPs (CIDR ranges) and blockHostnames (patterns): connects refused.
  http::BlockLists block_lists;
  // localIPs: the source addresses of the VUs' connections (--local-ips and
  // K6_LOCAL_IPS only, as in k6).
  http::IpPool local_ips;
};

// A comma-separated list, as --blacklist-ip and K6_BLACKLIST_IPS give it, into
// `out`: "" or the problem in k6's words ("invalid CIDR address: 10.0.0.0/33").
std::string parse_blacklist_ips(std::string_view text, std::vector<http::IpNet>& out);
// The same for --block-hostnames ("invalid hostname pattern 'a*b'").
std::string parse_block_hostnames(std::string_view text, http::HostnamePatterns& out);

// A size in bytes: a whole number, or a string such as "64MiB" (see
// parse_byte_size). Throws ConfigError naming `where`.
uint64_t read_byte_size(const rapidjson::Value& value, const std::string& where);

// Reads them from the script's options table (as JSON; null when absent).
// Throws ConfigError naming the option.
HttpOptions read_http_options(const rapidjson::Value& options);

}  // namespace lueng::exec
