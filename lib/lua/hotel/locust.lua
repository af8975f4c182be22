-- The scenarios of the team's Locust suite (P302) as lueng scenarios and SLOs, as
-- the suite writes them; scripts/locust-*.lua run them with the Locust traffic
-- profile (hotel.traffic "locust": the suite's three user classes and wait times).
--   options = require("hotel.locust").options("peak")
-- Users arrive at the suite's spawn rate (-r): a ramp of users / rate seconds,
-- included in the duration (-t), as Locust counts it. Every duration is scaled by
-- TIME_SCALE.
local slo = require "hotel.slo"
local timescale = require "lueng.timescale"

local M = {}

-- users, spawn rate (users/s), duration of the run.
M.shapes = {
  baseline = { users = 10, rate = 2, duration = "1m" },
  peak = { users = 100, rate = 10, duration = "5m" },
  stress = { users = 200, rate = 20, duration = "10m" },
  endurance = { users = 50, rate = 5, duration = "1h" },
}

local function p95(metric, ms, priority, description)
  return { [metric] = { { ("p(95)<%d"):format(ms), priority = priority, description = description } } }
end

-- The suite's SLOs per scenario ("Expected Results"), with its ratings: critical
-- P0, high P1, medium P2.
M.slos = {
  baseline = function()
    return slo.merge(
      p95("http_req_duration{endpoint:prereserve}", 2000, "P0", "pre-reservation p95 under 2 s"),
      p95("http_req_duration{endpoint:whatsapp}", 1500, "P0", "WhatsApp text p95 under 1.5 s"),
      { http_req_failed = { { "rate<0.005", priority = "P0", description = "errors under 0.5%" } } })
  end,
  peak = function()
    return slo.merge(
      p95("http_req_duration{endpoint:prereserve}", 3000, "P0", "pre-reservation p95 under 3 s"),
      p95("http_req_duration{endpoint:whatsapp}", 3000, "P0", "WhatsApp text p95 under 3 s"),
      p95("http_req_duration{endpoint:whatsapp_audio}", 15000, "P1", "WhatsApp audio p95 under 15 s"),
      p95("http_req_duration{endpoint:health}", 500, "P2", "health p95 under 500 ms"),
      { http_reqs = { { "rate>200", priority = "P2", description = "throughput over 200 req/s" } } },
      slo.requests(), slo.business())
  end,
  stress = function()
    -- The breaking point: the run fails above it, and goes on to show the degradation.
    return {
      http_req_duration = { { "p(95)<10000", priority = "P0", description = "breaking point: p95 over 10 s" } },
      http_req_failed = { { "rate<0.05", priority = "P0", description = "breaking point: errors over 5%" } },
    }
  end,
  endurance = function()
    return slo.merge(
      p95("http_req_duration", 3000, "P0", "p95 under 3 s"),
      { http_req_failed = { { "rate<0.01", priority = "P0", description = "errors under 1%" } },
        latency_drift = { { "avg<30", priority = "P0", description = "p95 does not worsen over 30%" } } })
  end,
}

-- scenario(name [, extra]) -> a ramping-vus scenario of the suite's shape.
function M.scenario(name, extra)
  local shape = assert(M.shapes[name], "hotel.locust: no scenario " .. tostring(name))
  local ramp = shape.users / shape.rate
  local total = timescale.seconds(shape.duration)
  local scenario = {
    executor = "ramping-vus", startVUs = 0,
    stages = timescale.stages({
      { duration = ("%gs"):format(ramp), target = shape.users },
      { duration = ("%gs"):format(total - ramp), target = shape.users },
    }),
    gracefulRampDown = timescale.duration("30s"), gracefulStop = timescale.duration("30s"),
    tags = { test_type = "locust-" .. name },
  }
  for key, value in pairs(extra or {}) do scenario[key] = value end
  return scenario
end

-- options(name) -> the options of a script running that scenario with its SLOs.
function M.options(name)
  return { scenarios = { [name] = M.scenario(name) }, thresholds = M.slos[name]() }
end

return M
