-- Spike test: 5 VUs (10s), a jump to 100 (10s), 100 held (1m), back to 5 (10s),
-- 5 held (2m). SLOs: p95 < 2 s and errors < 10% over the whole run, and
-- recovery within 30 s: from 30 s after the spike ends, requests must be back
-- to p95 < 2 s and under 1% errors. Every request is tagged with its phase
-- (baseline, spike, recovery, recovered) to measure that.
--   lueng run -e TIME_SCALE=0.02 scripts/spike.lua        -- 3m30s in 4.2 s
local lueng = require "lueng"
local slo = require "hotel.slo"
local stages = require "lueng.stages"
local timescale = require "lueng.timescale"
local traffic = require "hotel.traffic"

-- Phase boundaries in seconds from the scenario's start, from the stages themselves.
local shape = stages.shapes.spike
local spike_starts = timescale.scaled(timescale.seconds(shape[1].duration))
local spike_ends = timescale.scaled(stages.total({ shape[1], shape[2], shape[3], shape[4] }))
local recovered_after = spike_ends + timescale.scaled(30)

-- Counted from when the scenario began (after setup() and after the VUs were
-- made), the clock its stages follow.
local function phase()
  local elapsed = lueng.vu.scenario_elapsed / 1000
  if elapsed < spike_starts then return "baseline" end
  if elapsed < spike_ends then return "spike" end
  if elapsed < recovered_after then return "recovery" end
  return "recovered"
end

local mix = traffic.new({ tags = function(ctx) return { phase = phase() } end })

options = {
  scenarios = { spike = stages.spike() },
  thresholds = slo.merge({
    http_req_duration = { { "p(95)<2000", priority = "P0", description = "95% of requests under 2 s" } },
    http_req_failed = { { "rate<0.10", priority = "P0", description = "less than 10% of requests fail" } },
    ["http_req_duration{phase:recovered}"] = {
      { "p(95)<2000", priority = "P0", description = "recovered within 30 s: p95 under 2 s" },
    },
    ["http_req_failed{phase:recovered}"] = {
      { "rate<0.01", priority = "P0", description = "recovered within 30 s: under 1% errors" },
    },
  }, slo.endpoints()),
}

function setup() traffic.setup_checks() end

function default(data) mix:run(data) end
