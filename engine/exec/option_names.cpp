#include <algorithm>
#include <array>
#include <cctype>
#include <string_view>
#include <vector>

#include "engine/exec/options.hpp"

namespace lueng::exec {

namespace {

// Every top-level option some part of lueng reads (options.cpp, http_options.cpp,
// test_run.cpp for thresholds), in camelCase.
constexpr std::array<std::string_view, 21> kKnown = {"vus",
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
                                                     "tlsCipherSuites"};

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

// Levenshtein distance, for "did you mean".
size_t distance(std::string_view a, std::string_view b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diagonal = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t above = row[j];
      bool same = std::tolower(static_cast<unsigned char>(a[i - 1])) ==
                  std::tolower(static_cast<unsigned char>(b[j - 1]));
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (same ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

}  // namespace

std::vector<std::string> unknown_option_warnings(const rapidjson::Value& options) {
  std::vector<std::string> warnings;
  if (!options.IsObject()) return warnings;
  for (const auto& member : options.GetObject()) {
    std::string name = member.name.GetString();
    std::string key = to_camel(name);
    if (contains(kKnown, key)) continue;
    if (contains(kK6Only, key)) {
      warnings.push_back("options." + name + ": a k6 option lueng does not implement; ignored");
      continue;
    }
    std::string_view closest;
    size_t best = 3;  // suggest only close names
    for (auto known : kKnown)
      if (size_t d = distance(key, known); d < best) best = d, closest = known;
    warnings.push_back(
        "options." + name + ": unknown option; ignored" +
        (closest.empty() ? std::string() : " (did you mean " + std::string(closest) + "?)"));
  }
  return warnings;
}

}  // namespace lueng::exec
