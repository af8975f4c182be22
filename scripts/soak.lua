-- Soak test: 5 VUs of the traffic mix for 30 minutes. SLOs: p95 < 3 s, errors
-- < 1%, and no latency drift: in the last fifth of the run, each task may take
-- at most 30% longer on average than the same VU's same task in the first fifth
-- (the custom Trend latency_drift, in percent).
--   lueng run -e TIME_SCALE=0.004 scripts/soak.lua        -- 30 minutes in 7.2 s
--   lueng run -d 10m scripts/soak.lua                     -- a shorter soak (1 VU, 10 minutes)
-- The fifths follow the scenario's actual length, however it was set.
local lueng = require "lueng"
local metrics = require "lueng.metrics"
local slo = require "hotel.slo"
local stages = require "lueng.stages"
local traffic = require "hotel.traffic"

local latency_drift = metrics.Trend("latency_drift")

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

function default(data)
  local context, elapsed_ms = mix:run(data)
  -- The clock of the scenario's own length (-d 10m or TIME_SCALE change it).
  local at, length = lueng.vu.scenario_elapsed, lueng.vu.scenario_duration
  local early_until, late_from = length * 0.2, length * 0.8
  -- A global of the VU: each VU keeps its own baselines.
  baselines = baselines or {}
  local base = baselines[context.task]
  if at < early_until then
    base = base or { sum = 0, count = 0 }
    base.sum, base.count = base.sum + elapsed_ms, base.count + 1
    baselines[context.task] = base
  elseif at >= late_from and base and base.count > 0 and base.sum > 0 then
    local mean = base.sum / base.count
    latency_drift:add(100 * (elapsed_ms - mean) / mean, { task = context.task })
  end
end
