-- Soak test: 5 VUs of the traffic mix for 30 minutes. SLOs: p95 < 3 s, errors
-- < 1%, and no latency drift: in the last fifth of the run, each task may take
-- at most 30% longer on average than the same VU's same task in the first fifth
-- (the custom Trend latency_drift, in percent).
--   lueng run -e TIME_SCALE=0.004 scripts/soak.lua        -- 30 minutes in 7.2 s
--   lueng run -d 10m scripts/soak.lua                     -- a shorter soak (1 VU, 10 minutes)
-- The fifths follow the scenario's actual length, however it was set.
local drift = require "hotel.drift"
local slo = require "hotel.slo"
local stages = require "lueng.stages"
local traffic = require "hotel.traffic"

local mix = traffic.new()

options = {
  scenarios = { soak = stages.soak() },
  thresholds = slo.merge({
    http_req_duration = { { "p(95)<3000", priority = "P0", description = "95% of requests under 3 s" } },
    http_req_failed = { { "rate<0.01", priority = "P0", description = "less than 1% of requests fail" } },
    latency_drift = { { "avg<30", priority = "P1", description = "no latency drift over 30%" } },
  }, slo.endpoints()),
}

function setup() traffic.setup_checks() end

function default(data) drift.record(mix:run(data)) end
