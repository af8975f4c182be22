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

-- Each endpoint's p95 (the scripts tag every request with `endpoint`): the
-- pre-reservation and WhatsApp text SLOs are 3 s (P0), audio 15 s (P0), the
-- read endpoints 3 s (P1). `only` limits the set to some endpoints.
M.endpoint_p95 = {
  prereserve = { 3000, "P0" }, whatsapp = { 3000, "P0" }, whatsapp_audio = { 15000, "P0" },
  mercadopago = { 3000, "P1" }, availability = { 3000, "P1" }, room_types = { 3000, "P1" },
  accommodations = { 3000, "P1" }, accommodation_availability = { 3000, "P1" },
  reservation = { 3000, "P1" }, health = { 3000, "P1" }, verify = { 3000, "P1" },
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
