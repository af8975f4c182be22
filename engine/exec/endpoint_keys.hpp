#pragma once

#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "engine/result/detail_series.hpp"

namespace lueng::exec {

// The endpoints (method, endpoint) of the run's per-endpoint series, numbered
// in the order workers first meet them, so that each worker's per-second
// counts are a vector the main thread merges by index. Workers ask once per
// tag set (Worker::endpoint_of), not per request. Past kMaxEndpointSeries,
// further endpoints share the "(other)" entry.
class EndpointKeys {
 public:
  using Key = std::pair<std::string, std::string>;  // method, endpoint

  uint32_t index_of(std::string_view method, std::string_view endpoint) {
    std::lock_guard lock(mutex_);
    Key key{std::string(method), std::string(endpoint)};
    if (auto it = index_.find(key); it != index_.end()) return it->second;
    if (keys_.size() + 1 >= result::kMaxEndpointSeries) key = {"", result::kOtherEndpoint};
    auto [it, added] = index_.emplace(std::move(key), static_cast<uint32_t>(keys_.size()));
    if (added) keys_.push_back(it->first);
    return it->second;
  }

  std::vector<Key> keys() const {
    std::lock_guard lock(mutex_);
    return keys_;
  }

 private:
  mutable std::mutex mutex_;
  std::map<Key, uint32_t> index_;
  std::vector<Key> keys_;  // [index]
};

}  // namespace lueng::exec
