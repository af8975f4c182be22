-- The Locust suite's endurance scenario (hotel.locust): 50 users for 1 hour (5
-- users/s), failing when latency worsens by more than 30% between the first and
-- the last fifth of the run (hotel.drift), p95 over 3 s or errors over 1%.
--   lueng run -e BASE_URL=http://127.0.0.1:8000 scripts/locust-endurance.lua
--   lueng run -e TIME_SCALE=0.005 scripts/locust-endurance.lua   -- the hour in 18 s
local drift = require "hotel.drift"
local locust = require "hotel.locust"
local traffic = require "hotel.traffic"

local mix = traffic.new({ profile = "locust" })

options = locust.options("endurance")

function setup() traffic.setup_checks() end

function default(data) drift.record(mix:run(data)) end
