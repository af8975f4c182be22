#pragma once

#include <atomic>
#include <string>

#include "engine/http/url.hpp"

namespace lueng::exec {

// One GET of a metrics page, blocking, on the monitor's own thread (never a
// worker's loop): a connection per scrape, HTTP/1.1 with Connection: close, the
// whole exchange bounded by `timeout_seconds` and the body by kMaxMetricsPage.
// `stop` ends a scrape in progress within about 50 ms.
struct FetchResult {
  bool ok = false;
  int status = 0;
  std::string body;
  std::string error;  // why not ok: "connection refused", "timed out after 2s", "status 503"
};

inline constexpr size_t kMaxMetricsPage = 16u << 20;

FetchResult fetch_metrics_page(const http::Url& url, double timeout_seconds,
                               const std::string& user_agent, const std::atomic<bool>& stop);

}  // namespace lueng::exec
