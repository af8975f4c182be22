#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "engine/result/run_result.hpp"
#include "engine/result/views.hpp"

namespace lueng::result {

// The failures table of the reports (summary, HTML, Markdown): endpoint x status x
// error code with a count and the first message of each.

// The run's own rows (RunResult::failures) when it recorded them; for a file of
// an older version, rows derived from http_req_failed's tags, whose message is
// only the error's kind (failure_kind).
std::vector<FailureCount> failure_table(const RunResult& result);

// Rows from http_req_failed's tag sets alone, grouped by `key` (the Locust CSV
// goes by the name tag): method, name or endpoint, status, error code and the
// count, message failure_kind(). Sorted by method, endpoint, status, code.
std::vector<FailureCount> failures_from_metrics(const RunResult& result, EndpointKey key);

// "connection_refused (error_code 1212)", or "HTTP 503" for a status without a code.
std::string failure_kind(int status, int error_code);

// Adds `more` into `rows` by (method, endpoint, status, error code): counts add,
// the first message is kept; then most frequent first, at most kMaxFailureRows,
// the counts of rows cut off added to *unlisted.
void merge_failures(std::vector<FailureCount>& rows, const std::vector<FailureCount>& more,
                    uint64_t* unlisted);

// Most frequent first, then by method, endpoint, status and code; beyond
// kMaxFailureRows the rest is dropped and its count added to *unlisted.
void rank_failures(std::vector<FailureCount>& rows, uint64_t* unlisted);

}  // namespace lueng::result
