-- Stress test: the traffic mix at 10, 20, 30, 40 and 50 VUs (2m, then 5m each),
-- then back to 0 (5m), to find the breaking point: the run stops (exit 2) as
-- soon as p95 passes 10 s or more than 5% of requests fail.
-- With -e STRESS_CONTINUE=1 it goes on past the breaking point to observe the
-- degradation beyond capacity, then drops back to 10 VUs for 3 minutes (1m to get
-- there) before ending, so the recovery finding says whether the system came back;
-- the breaking-point SLOs are still judged at the end.
--   lueng run -e BASE_URL=http://127.0.0.1:8000 scripts/stress.lua
--   lueng run -e TIME_SCALE=0.004 scripts/stress.lua      -- 27 minutes in 6.5 s
--   lueng run -e STRESS_CONTINUE=1 scripts/stress.lua     -- past the breaking point
local slo = require "hotel.slo"
local stages = require "lueng.stages"
local timescale = require "lueng.timescale"
local traffic = require "hotel.traffic"

local mix = traffic.new()

-- Give the first stage a minute before a breach may stop the run.
local settle = timescale.duration("1m")
local continue = ENV.STRESS_CONTINUE == "1"

-- Past the breaking point: the steps up, then back to 10 VUs to watch the recovery.
local function continued()
  local shape = {}
  for i = 1, #stages.shapes.stress - 1 do shape[i] = stages.shapes.stress[i] end
  table.insert(shape, { duration = "1m", target = 10 })
  table.insert(shape, { duration = "3m", target = 10 })
  table.insert(shape, { duration = "1m", target = 0 })
  return { stages = timescale.stages(shape) }
end

options = {
  scenarios = { stress = stages.stress(continue and continued() or nil) },
  thresholds = slo.merge({
    http_req_duration = {
      { "p(95)<10000", priority = "P0", abort_on_fail = not continue, delay_abort_eval = settle,
        description = "breaking point: p95 over 10 s" },
    },
    http_req_failed = {
      { "rate<0.05", priority = "P0", abort_on_fail = not continue, delay_abort_eval = settle,
        description = "breaking point: more than 5% of requests fail" },
    },
  }, slo.endpoints()),
}

function setup() traffic.setup_checks() end

function default(data) mix:run(data) end
