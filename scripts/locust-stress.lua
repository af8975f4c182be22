-- The Locust suite's stress scenario (hotel.locust): 200 users for 10 minutes (20 users/s): fails above the
-- breaking point (p95 over 10 s or errors over 5%) but runs to its end, so the
-- degradation past it shows in the time series and the breaking point finding.
--   lueng run -e BASE_URL=http://127.0.0.1:8000 scripts/locust-stress.lua
--   lueng run -e TIME_SCALE=0.05 scripts/locust-stress.lua
local locust = require "hotel.locust"
local traffic = require "hotel.traffic"

local mix = traffic.new({ profile = "locust" })

options = locust.options("stress")

function setup() traffic.setup_checks() end

function default(data) mix:run(data) end
