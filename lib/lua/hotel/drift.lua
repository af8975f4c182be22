-- Latency drift as the soak and endurance tests measure it: in the last fifth of
-- a scenario, each task's time in percent above the mean time of the same VU's
-- same task in the first fifth, recorded in the Trend latency_drift (its average
-- must stay under 30). Fifths of the scenario's actual length
-- (lueng.vu.scenario_duration), however -d, stages or TIME_SCALE set it.
--   local drift = require("hotel.drift")        -- in the init code: makes the Trend
--   function default(data) drift.record(mix:run(data)) end
local lueng = require "lueng"
local metrics = require "lueng.metrics"

local M = {}

M.trend = metrics.Trend("latency_drift")

-- record(context, elapsed_ms): one task's time (what lueng.mix's run returns).
function M.record(context, elapsed_ms)
  local at, length = lueng.vu.scenario_elapsed, lueng.vu.scenario_duration
  local early_until, late_from = length * 0.2, length * 0.8
  -- A global of the VU: each VU keeps its own baselines.
  drift_baselines = drift_baselines or {}
  local base = drift_baselines[context.task]
  if at < early_until then
    base = base or { sum = 0, count = 0 }
    base.sum, base.count = base.sum + elapsed_ms, base.count + 1
    drift_baselines[context.task] = base
  elseif at >= late_from and base and base.count > 0 and base.sum > 0 then
    local mean = base.sum / base.count
    M.trend:add(100 * (elapsed_ms - mean) / mean, { task = context.task })
  end
end

return M
