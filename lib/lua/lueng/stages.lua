-- Stage presets: the shapes of the team's smoke, load, stress, spike and soak
-- tests (docs/hotel-api.md), as lueng scenarios with every duration time-scaled.
--   options = { scenarios = { load = stages.load() } }
--   options = { scenarios = { load = stages.load({ exec = "reservations" }) } }
local timescale = require "lueng.timescale"

local M = {}

-- The unscaled shapes, for reports and docs. Durations are as in the table of
-- docs/hotel-api.md; `hold` entries keep the target of the stage before.
M.shapes = {
  smoke = { vus = 1, duration = "1m" },
  load = {
    { duration = "2m", target = 5 }, { duration = "5m", target = 10 },
    { duration = "5m", target = 10 }, { duration = "2m", target = 0 },
  },
  stress = {
    { duration = "2m", target = 10 }, { duration = "5m", target = 20 },
    { duration = "5m", target = 30 }, { duration = "5m", target = 40 },
    { duration = "5m", target = 50 }, { duration = "5m", target = 0 },
  },
  spike = {
    { duration = "10s", target = 5 }, { duration = "10s", target = 100 },
    { duration = "1m", target = 100 }, { duration = "10s", target = 5 },
    { duration = "2m", target = 5 },
  },
  soak = { vus = 5, duration = "30m" },
}

local function merge(scenario, extra)
  for key, value in pairs(extra or {}) do
    if key == "tags" then
      for tag, tag_value in pairs(value) do scenario.tags[tag] = tag_value end
    else
      scenario[key] = value
    end
  end
  return scenario
end

local function constant(shape, test_type, extra)
  return merge({
    executor = "constant-vus", vus = shape.vus, duration = timescale.duration(shape.duration),
    gracefulStop = timescale.duration("30s"), tags = { test_type = test_type },
  }, extra)
end

local function ramping(stages, test_type, extra)
  return merge({
    executor = "ramping-vus", startVUs = 0, stages = timescale.stages(stages),
    gracefulRampDown = timescale.duration("30s"), gracefulStop = timescale.duration("30s"),
    tags = { test_type = test_type },
  }, extra)
end

-- Each preset takes optional scenario options that override or extend it
-- (`exec`, `env`, more `tags`...).
function M.smoke(extra) return constant(M.shapes.smoke, "smoke", extra) end
function M.load(extra) return ramping(M.shapes.load, "load", extra) end
function M.stress(extra) return ramping(M.shapes.stress, "stress", extra) end
function M.spike(extra) return ramping(M.shapes.spike, "spike", extra) end
function M.soak(extra) return constant(M.shapes.soak, "soak", extra) end

-- total(stages) -> seconds the stages last, unscaled.
function M.total(stages)
  local seconds = 0
  for _, stage in ipairs(stages) do seconds = seconds + timescale.seconds(stage.duration) end
  return seconds
end

return M
