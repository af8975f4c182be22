-- The team's SLOs (docs/hotel-api.md) as lueng thresholds.
--   options.thresholds = slo.merge(slo.default(), slo.endpoints())
local M = {}

-- The default SLO set: latency, errors, throughput and checks with warn levels
-- and priorities.
function M.default()
  return {
    http_req_duration = {
      { "p(95)<3000", warn = "p(95)<2500", priority = "P0", description = "95% of requests under 3 s" },
      { "p(99)<5000", warn = "p(99)<4000", priority = "P1", description = "99% of requests under 5 s" },
      { "avg<1500", warn = "avg<1000", priority = "P2", description = "mean response time under 1.5 s" },
    },
    http_req_failed = {
      { "rate<0.01", warn = "rate<0.005", priority = "P0", description = "less than 1% of requests fail" },
    },
    http_reqs = {
      { "rate>10", warn = "rate>15", priority = "P2", description = "more than 10 requests per second" },
    },
    checks = {
      { "rate>0.99", warn = "rate>0.995", priority = "P1", description = "more than 99% of checks pass" },
    },
  }
end

-- Each endpoint's p95 (the scripts tag every request with `endpoint`), rated as
-- the guides rate them: pre-reservation and WhatsApp text 3 s (critical: P0),
-- WhatsApp audio 15 s (high, not critical: P1), health 500 ms (medium: P2), the
-- read endpoints 3 s (P1). `only` limits the set to some endpoints.
M.endpoint_p95 = {
  prereserve = { 3000, "P0" }, whatsapp = { 3000, "P0" }, whatsapp_audio = { 15000, "P1" },
  mercadopago = { 3000, "P1" }, availability = { 3000, "P1" }, room_types = { 3000, "P1" },
  accommodations = { 3000, "P1" }, accommodation_availability = { 3000, "P1" },
  reservation = { 3000, "P1" }, health = { 500, "P2" }, verify = { 3000, "P1" },
}

function M.endpoints(only)
  local thresholds = {}
  for endpoint, slo in pairs(M.endpoint_p95) do
    if not only or only[endpoint] then
      thresholds["http_req_duration{endpoint:" .. endpoint .. "}"] = {
        { ("p(95)<%d"):format(slo[1]), priority = slo[2], description = endpoint .. " p95" },
      }
    end
  end
  return thresholds
end

-- requests() -> the Locust suite's request-level SLOs, each with its target (P1)
-- and its critical level (P0): success rate, P50, P95, P99 and max latency.
function M.requests()
  local function slo(target, critical, description)
    return { { target, priority = "P1", description = description .. " (target)" },
             { critical, priority = "P0", description = description .. " (critical)" } }
  end
  local duration = {}
  for _, levels in ipairs({ { "p(50)<1000", "p(50)<5000", "median under 1 s" },
                            { "p(95)<3000", "p(95)<10000", "p95 under 3 s" },
                            { "p(99)<5000", "p(99)<15000", "p99 under 5 s" },
                            { "max<10000", "max<30000", "no request over 10 s" } }) do
    for _, entry in ipairs(slo(levels[1], levels[2], levels[3])) do table.insert(duration, entry) end
  end
  return {
    http_req_duration = duration,
    http_req_failed = slo("rate<0.01", "rate<0.05", "more than 99% of requests succeed"),
  }
end

-- business() -> the SLOs of the Locust suite's business metrics (hotel.business):
-- each has the suite's target (P1: missing it fails the run) and its critical
-- level (P0: missing that blocks).
function M.business()
  local function slo(metric, target, critical, description)
    return {
      { target, priority = "P1", description = description .. " (target)" },
      { critical, priority = "P0", description = description .. " (critical)" },
    }
  end
  return {
    booking_success = slo("booking_success", "rate>0.95", "rate>0.80", "bookings succeed"),
    locks_acquired = slo("locks_acquired", "rate>0.98", "rate>0.90", "locks are acquired"),
    webhooks_processed = slo("webhooks_processed", "rate>0.99", "rate>0.95", "webhooks are processed"),
    constraint_violations = slo("constraint_violations", "rate<0.01", "rate<0.05",
                                "few overlapping bookings"),
    booking_availability = slo("booking_availability", "rate>0.5", "rate>0.1",
                               "booking flows find a free unit"),
  }
end

-- merge(a, b, ...) -> one thresholds table; entries of the same metric are concatenated.
function M.merge(...)
  local out = {}
  for _, set in ipairs({ ... }) do
    for metric, list in pairs(set) do
      out[metric] = out[metric] or {}
      for _, entry in ipairs(list) do table.insert(out[metric], entry) end
    end
  end
  return out
end

return M
