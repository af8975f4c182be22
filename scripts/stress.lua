-- Stress test: the traffic mix at 10, 20, 30, 40 and 50 VUs (2m, then 5m each),
-- then back to 0 (5m), to find the breaking point: the run stops (exit 2) as
-- soon as p95 passes 10 s or more than 5% of requests fail.
--   lueng run -e BASE_URL=http://127.0.0.1:8000 scripts/stress.lua
--   lueng run -e TIME_SCALE=0.004 scripts/stress.lua      -- 27 minutes in 6.5 s
local slo = require "hotel.slo"
local stages = require "lueng.stages"
local timescale = require "lueng.timescale"
local traffic = require "hotel.traffic"

local mix = traffic.new()

-- Give the first stage a minute before a breach may stop the run.
local settle = timescale.duration("1m")

options = {
  scenarios = { stress = stages.stress() },
  thresholds = slo.merge({
    http_req_duration = {
      { "p(95)<10000", priority = "P0", abort_on_fail = true, delay_abort_eval = settle,
        description = "breaking point: p95 over 10 s" },
    },
    http_req_failed = {
      { "rate<0.05", priority = "P0", abort_on_fail = true, delay_abort_eval = settle,
        description = "breaking point: more than 5% of requests fail" },
    },
  }, slo.endpoints()),
}

function setup() traffic.setup_checks() end

function default(data) mix:run(data) end
