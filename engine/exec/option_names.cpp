#include <algorithm>
#include <array>
#include <string_view>
#include <vector>

#include "engine/common/closest_name.hpp"
#include "engine/exec/options.hpp"

namespace lueng::exec {

namespace {

// Every top-level option some part of lueng reads (options.cpp, http_options.cpp,
// test_run.cpp for thresholds), in camelCase.
constexpr std::array<std::string_view, 42> kKnown = {"vus",
                                                     "duration",
                                                     "iterations",
                                                     "stages",
                                                     "scenarios",
                                                     "thresholds",
                                                     "tags",
                                                     "userAgent",
                                                     "maxRedirects",
                                                     "discardResponseBodies",
                                                     "noCookiesReset",
                                                     "httpDebug",
                                                     "noConnectionReuse",
                                                     "noVUConnectionReuse",
                                                     "noVuConnectionReuse",
                                                     "throw",
                                                     "summaryTrendStats",
                                                     "summaryTimeUnit",
                                                     "systemTags",
                                                     "dns",
                                                     "rps",
                                                     "batch",
                                                     "batchPerHost",
                                                     "maxResponseBodySize",
                                                     "insecureSkipTLSVerify",
                                                     "insecureSkipTlsVerify",
                                                     "tlsCACert",
                                                     "tlsCaCert",
                                                     "tlsAuth",
                                                     "tlsVersion",
                                                     "tlsCipherSuites",
                                                     "setupTimeout",
                                                     "teardownTimeout",
                                                     "handleSummaryTimeout",
                                                     "noSetup",
                                                     "noTeardown",
                                                     "minIterationDuration",
                                                     "hosts",
                                                     "blacklistIPs",
                                                     "blacklistIps",
                                                     "blockHostnames",
                                                     "monitor"};

// k6 options a k6 script may carry that lueng does not implement, each with why
// (docs/from-k6.md lists them).
struct K6Only {
  std::string_view name;
  std::string_view why;
};
constexpr std::array<K6Only, 7> kK6Only = {{
    {"cloud", "k6 Cloud's settings; lueng runs where it is started"},
    {"executionSegment", ""},
    {"executionSegmentSequence", ""},
    {"ext", "k6 extensions' and k6 Cloud's settings"},
    {"linger", "lueng has no REST API to linger for: the process ends with the test"},
    {"noUsageReport", "lueng sends no usage report"},
    {"paused", "lueng has no REST API to resume a paused test"},
}};

const K6Only* find_k6_only(std::string_view name) {
  for (const K6Only& option : kK6Only)
    if (option.name == name) return &option;
  return nullptr;
}

template <size_t N>
bool contains(const std::array<std::string_view, N>& names, std::string_view name) {
  return std::find(names.begin(), names.end(), name) != names.end();
}

}  // namespace

std::vector<std::string> unknown_option_warnings(const rapidjson::Value& options) {
  std::vector<std::string> warnings;
  if (!options.IsObject()) return warnings;
  for (const auto& member : options.GetObject()) {
    std::string name = member.name.GetString();
    std::string key = to_camel(name);
    if (contains(kKnown, key)) continue;
    if (key == "executionSegment" || key == "executionSegmentSequence") {
      warnings.push_back("options." + name +
                         ": an instance's segment is given on its command line "
                         "(--execution-segment, --execution-segment-sequence, or --segment-index "
                         "with --segment-count); ignored");
      continue;
    }
    if (key == "localIPs" || key == "localIps") {
      warnings.push_back("options." + name +
                         ": as in k6, the source addresses are given by --local-ips or "
                         "K6_LOCAL_IPS only; ignored");
      continue;
    }
    if (const K6Only* option = find_k6_only(key)) {
      warnings.push_back("options." + name + ": a k6 option lueng does not implement (" +
                         std::string(option->why) + "); ignored");
      continue;
    }
    std::string closest = closest_name(key, {kKnown.begin(), kKnown.end()});
    warnings.push_back("options." + name + ": unknown option; ignored" +
                       (closest.empty() ? std::string() : " (did you mean " + closest + "?)"));
  }
  return warnings;
}

}  // namespace lueng::exec
