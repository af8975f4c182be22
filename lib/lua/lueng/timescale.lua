-- Time scaling: every duration of a scenario (stages, think times, windows) goes
-- through here, so one number stretches or shrinks a whole test.
--   lueng run -e TIME_SCALE=0.01 scripts/load.lua    -- the 14-minute load test in 8.4 s
-- TIME_SCALE multiplies durations: 1 (default) is real time, 0.5 twice as fast.
local lueng = require "lueng"

local M = {}

local UNITS = { us = 1e-6, ["µs"] = 1e-6, ms = 1e-3, s = 1, m = 60, h = 3600 }

local function read_factor()
  local text = ENV and ENV.TIME_SCALE
  if text == nil or text == "" then return 1 end
  local factor = tonumber(text)
  if not factor or factor <= 0 or factor ~= factor or factor == math.huge then
    error("TIME_SCALE: '" .. tostring(text) .. "' is not a positive number (1 is real time, 0.01 is 100 times faster)", 0)
  end
  return factor
end

M.factor = read_factor()

-- seconds("2m30s") -> 150; numbers are seconds. Errors name the text.
function M.seconds(duration)
  if type(duration) == "number" then return duration end
  if type(duration) ~= "string" or duration == "" then
    error("timescale: expected a duration like \"1m30s\", got " .. tostring(duration), 2)
  end
  local total, rest = 0, duration
  while rest ~= "" do
    local number, unit, tail = rest:match("^(%d+%.?%d*)(%a+)(.*)$")
    if not number then number, unit, tail = rest:match("^(%d+%.?%d*)(µs)(.*)$") end
    if not number or not UNITS[unit] then
      error("timescale: '" .. duration .. "' is not a duration (units: us, ms, s, m, h)", 2)
    end
    total = total + tonumber(number) * UNITS[unit]
    rest = tail
  end
  return total
end

-- Formats seconds as milliseconds, the unit every duration option accepts.
local function format(seconds)
  local ms = math.floor(seconds * 1000 * 1000 + 0.5) / 1000
  return (("%.3f"):format(ms):gsub("%.?0+$", "")) .. "ms"
end

-- duration("2m") -> "1200ms" with TIME_SCALE=0.01: a scaled duration string.
function M.duration(duration)
  return format(M.seconds(duration) * M.factor)
end

-- scaled(seconds) -> seconds * TIME_SCALE.
function M.scaled(seconds) return seconds * M.factor end

-- stages({ { duration = "2m", target = 5 }, ... }) -> the same stages, scaled.
function M.stages(stages)
  local out = {}
  for i, stage in ipairs(stages) do
    out[i] = { duration = M.duration(stage.duration), target = stage.target }
  end
  return out
end

-- sleep(seconds or duration): lueng.sleep of the scaled time.
function M.sleep(duration)
  lueng.sleep(M.seconds(duration) * M.factor)
end

return M
