-- Load test: the k6 guide's load mix (WhatsApp-heavy, with /metrics queries;
-- -e MIX=locust for the Locust suite's 70/20/10 profile) ramping 0 -> 5 VUs (2m),
-- -> 10 (5m), holding 10 (5m), -> 0 (2m), held to the default SLO set and each
-- endpoint's p95. The k6 mix's think time (0.3-0.7 s) gives about 20 req/s over
-- the whole run against a healthy target, so its "> 10 req/s" SLO can pass in real
-- time; the Locust profile's longer think times give about 4 req/s and miss it.
--   lueng run -e BASE_URL=https://staging.example.com scripts/load.lua
--   lueng run -e TIME_SCALE=0.01 scripts/load.lua        -- 14 minutes in 8.4 s
local slo = require "hotel.slo"
local stages = require "lueng.stages"
local traffic = require "hotel.traffic"

local profile = ENV.MIX or "k6"
local mix = traffic.new({ profile = profile })

options = {
  scenarios = { load = stages.load() },
  -- Each endpoint the mix calls keeps its p95 SLO.
  thresholds = slo.merge(slo.default(), slo.endpoints(traffic.endpoints(profile)), slo.business()),
}

function setup() traffic.setup_checks() end

function default(data) mix:run(data) end
