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

// What the rows of endpoint_stats() go by.
enum class EndpointKey {
  kName,      // the name tag (the URL unless set): Locust's grouping, for its CSV
  kEndpoint,  // the endpoint tag when a request carries one, else the name tag: the reports'
};

// Requests per (method, name or endpoint), in that order.
std::vector<EndpointStats> endpoint_stats(const RunResult& result,
                                          EndpointKey key = EndpointKey::kName);

struct CheckStats {
  std::string group;  // "" for checks outside any group
  std::string name;
  uint64_t passes = 0;
  uint64_t fails = 0;
};

// Every check with its pass and fail counts, grouped in group order.
std::vector<CheckStats> check_stats(const RunResult& result);

}  // namespace lueng::result
