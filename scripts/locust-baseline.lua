-- The Locust suite's baseline scenario (hotel.locust): 10 users for 1 minute (2 users/s): pre-reservation p95 < 2 s,
-- WhatsApp text p95 < 1.5 s, errors < 0.5%.
--   lueng run -e BASE_URL=http://127.0.0.1:8000 scripts/locust-baseline.lua
--   lueng run -e TIME_SCALE=0.05 scripts/locust-baseline.lua
local locust = require "hotel.locust"
local traffic = require "hotel.traffic"

local mix = traffic.new({ profile = "locust" })

options = locust.options("baseline")

function setup() traffic.setup_checks() end

function default(data) mix:run(data) end
