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
constexpr std::array<std::string_view, 22> kKnown = {"vus",
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
                                                     "monitor"};

// k6 options a k6 script may carry that lueng does not implement.
constexpr std::array<std::string_view, 23> kK6Only = {"blacklistIPs",
                                                      "blockHostnames",
                                                      "cloud",
                                                      "dns",
                                                      "executionSegment",
                                                      "executionSegmentSequence",
                                                      "ext",
                                                      "hosts",
                                                      "httpDebug",
                                                      "linger",
                                                      "localIPs",
                                                      "minIterationDuration",
                                                      "noConnectionReuse",
                                                      "noUsageReport",
                                                      "noVUConnectionReuse",
                                                      "paused",
                                                      "rps",
                                                      "setupTimeout",
                                                      "summaryTimeUnit",
                                                      "summaryTrendStats",
                                                      "systemTags",
                                                      "teardownTimeout",
                                                      "throw"};

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
    if (contains(kK6Only, key)) {
      warnings.push_back("options." + name + ": a k6 option lueng does not implement; ignored");
      continue;
    }
    std::string closest = closest_name(key, {kKnown.begin(), kKnown.end()});
    warnings.push_back("options." + name + ": unknown option; ignored" +
                       (closest.empty() ? std::string() : " (did you mean " + closest + "?)"));
  }
  return warnings;
}

}  // namespace lueng::exec
