#pragma once

#include <span>
#include <string_view>
#include <utility>

#include "engine/http/response.hpp"
#include "engine/metrics/metric.hpp"

namespace lueng::exec {

class HttpCall;
struct ScenarioConfig;
class Vu;
class Worker;

// Turn what a VU did into metric samples with k6's tags. Called on the worker
// thread; they intern one tag set and add to the worker's sink, nothing more.
// One hop of a request: `name` and `method` are the hop's (a redirect changes
// them), the call gives the script's tags.
void record_http(Worker& worker, Vu& vu, const HttpCall& call, std::string_view name,
                 std::string_view method, const http::ResponseData& response);
// `now`: when the iteration ended (uv_hrtime()).
void record_iteration(Worker& worker, Vu& vu, double duration_ms, uint64_t now);
// To the streaming outputs: data_sent and data_received of the bytes the VU
// moved since the last call, as k6 emits them at the end of every iteration
// (also one cut short, and setup() and teardown()), with the iteration's tags;
// then zeroes them. The result model has the same bytes by request (record_http).
void record_io(Worker& worker, Vu& vu);
void record_check(Worker& worker, Vu& vu, std::string_view name, bool passed,
                  std::span<const std::pair<std::string_view, std::string_view>> extra_tags);
void record_group(Worker& worker, Vu& vu, double duration_ms);
void record_iteration_start_lag(Worker& worker, Vu& vu, double lag_ms);
// A sample of a custom metric (lueng.metrics), with the VU's tags and the script's.
void record_custom(Worker& worker, Vu& vu, metrics::MetricId metric, double value,
                   std::span<const std::pair<std::string_view, std::string_view>> extra_tags);
void record_dropped_iteration(Worker& worker, const ScenarioConfig& scenario);
// An iteration ended by a Lua error (`deliberate`: by lueng.fail()): script_errors
// tagged with the scenario, its exec function and kind=error or kind=fail.
void record_script_error(Worker& worker, Vu& vu, bool deliberate);

// k6's error_code of a response (res.error_code, the error_code tag): its network
// error's code, else 1000 + status for a 4xx or 5xx (1400-1599), else 0.
inline int k6_error_code(const http::ResponseData& response) {
  if (response.error_code != http::ErrorCode::kNone) return static_cast<int>(response.error_code);
  return response.status >= 400 && response.status < 600 ? 1000 + response.status : 0;
}
// k6's error tag of a failed request: k6's short, fixed text for the failures k6
// names so ("dial: connection refused", "request timeout", "read: connection
// reset by peer"...), which keeps the tag's values few; else res.error's text.
// Empty without a failure.
std::string_view k6_error_text(const http::ResponseData& response);

// k6's expected_response: statuses 200-399 are expected.
inline bool is_expected_status(int status) {
  return status >= 200 && status < 400;
}

}  // namespace lueng::exec
