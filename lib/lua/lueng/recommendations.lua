-- Recommendations of the SLO report: what to look at when an SLO fails or warns.
--
-- This is data, not code. Each rule applies to an SLO whose metric is listed in
-- `metrics`, or whose name contains one of `contains`, and whose status is one of
-- `statuses` (WARNING, FAIL and CRITICAL when absent; NO DATA only when listed).
-- Every matching rule adds its `advice`, in order; when none matches, the rules
-- marked `fallback` do.
--
-- A team replaces these rules with its own module of the same name earlier on
-- the module path: lueng/recommendations.lua next to the script, or in a
-- directory listed in LUENG_PATH.
return {
  {
    topic = "latency",
    metrics = { "http_req_duration", "http_req_waiting", "iteration_duration", "group_duration" },
    contains = { "duration", "latency", "_time" },
    advice = {
      "Cache what is read often and changes rarely (responses, lookups, sessions).",
      "Check the query plans of the slowest endpoints: missing indexes, N+1 queries, full scans.",
      "Size the database and HTTP connection pools for the concurrency under test.",
      "Compare p(95) with the median: a wide gap points at contention or slow dependencies.",
    },
  },
  {
    topic = "connection setup",
    metrics = { "http_req_connecting", "http_req_tls_handshaking", "http_req_blocked" },
    advice = {
      "Keep connections alive and reuse them; check the server's keep-alive timeout.",
      "Check the listen backlog and the accept rate of the server or load balancer.",
    },
  },
  {
    topic = "errors",
    metrics = { "http_req_failed", "checks" },
    contains = { "error", "failed", "fail" },
    advice = {
      "Read the server logs around the failing requests (the summary's endpoint table says which).",
      "Check the connection pools and timeouts: exhausted pools fail requests under load.",
      "Look for rate limiting (429) or overload protection (503) in the status tags.",
    },
  },
  {
    topic = "throughput",
    metrics = { "http_reqs", "iterations", "data_received", "data_sent" },
    advice = {
      "Scale out the service (more instances) or up (more CPU) and compare the next run.",
      "Check that the load generator is not the bottleneck: iteration_start_lag and dropped_iterations.",
    },
  },
  {
    topic = "dropped work",
    metrics = { "dropped_iterations", "iteration_start_lag" },
    advice = {
      "Raise preAllocatedVUs/maxVUs: the arrival-rate executor ran out of VUs.",
      "Shorten the iterations (sleeps, timeouts) or lower the target rate.",
    },
  },
  {
    topic = "no data",
    contains = { "" },
    statuses = { "NO DATA" },
    advice = {
      "The metric got no samples: check that the script records it, that the tags of the sub-metric match what it records, and that its requests ran.",
    },
  },
  {
    topic = "general",
    fallback = true,
    advice = {
      "Compare with the last passing run (lueng validate on both result files) to find what changed.",
    },
  },
}
