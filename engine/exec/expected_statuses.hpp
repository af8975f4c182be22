#pragma once

#include <utility>
#include <vector>

namespace lueng::exec {

// k6's http.expectedStatuses(): the statuses a script counts as expected, as
// exact codes and inclusive ranges. A request whose status matches is tagged
// expected_response=true and counts 0 in http_req_failed; status 0 (no response)
// matches only when the script lists 0. Read-only once a request points at it.
struct ExpectedStatuses {
  std::vector<std::pair<int, int>> ranges;  // inclusive; an exact code is {code, code}

  bool match(int status) const {
    for (const auto& [low, high] : ranges)
      if (status >= low && status <= high) return true;
    return false;
  }
};

}  // namespace lueng::exec
