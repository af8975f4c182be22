-- Load test: the realistic traffic mix (docs/hotel-api.md) ramping 0 -> 5 VUs (2m),
-- -> 10 (5m), holding 10 (5m), -> 0 (2m), held to the default SLO set and each
-- endpoint's p95.
--   lueng run -e BASE_URL=https://staging.example.com scripts/load.lua
--   lueng run -e TIME_SCALE=0.01 scripts/load.lua        -- 14 minutes in 8.4 s
local slo = require "hotel.slo"
local stages = require "lueng.stages"
local traffic = require "hotel.traffic"

local mix = traffic.new()

options = {
  scenarios = { load = stages.load() },
  thresholds = slo.merge(slo.default(), slo.endpoints()),
}

function setup() traffic.setup_checks() end

function default(data) mix:run(data) end
