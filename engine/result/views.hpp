#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "engine/metrics/histogram.hpp"
#include "engine/result/run_result.hpp"

namespace lueng::result {

// Views of the result model that several renderers share.

struct EndpointStats {
  std::string method;
  std::string name;
  uint64_t requests = 0;
  uint64_t failures = 0;
  metrics::Histogram duration;
};

// Requests per (method, name tag), in name order: Locust's per-endpoint stats.
std::vector<EndpointStats> endpoint_stats(const RunResult& result);

struct CheckStats {
  std::string group;  // "" for checks outside any group
  std::string name;
  uint64_t passes = 0;
  uint64_t fails = 0;
};

// Every check with its pass and fail counts, grouped in group order.
std::vector<CheckStats> check_stats(const RunResult& result);

}  // namespace lueng::result
