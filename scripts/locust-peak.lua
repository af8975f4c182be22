-- The Locust suite's peak scenario (hotel.locust): 100 users for 5 minutes (10 users/s): pre-reservation and
-- WhatsApp text p95 < 3 s (critical), audio < 15 s (high), health < 500 ms (medium),
-- errors < 1%, throughput > 200 req/s (the suite's number; its wait times give about
-- 45 req/s at 100 users, so that P2 SLO fails unless the target is much faster).
--   lueng run -e BASE_URL=http://127.0.0.1:8000 scripts/locust-peak.lua
--   lueng run -e TIME_SCALE=0.05 scripts/locust-peak.lua
local locust = require "hotel.locust"
local traffic = require "hotel.traffic"

local mix = traffic.new({ profile = "locust" })

options = locust.options("peak")

function setup() traffic.setup_checks() end

function default(data) mix:run(data) end
