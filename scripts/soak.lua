-- Soak test: 5 VUs of the traffic mix for 30 minutes. SLOs: p95 < 3 s, errors
-- < 1%, no latency drift: in the last fifth of the run, each task may take
-- at most 30% longer on average than the same VU's same task in the first fifth
-- (the custom Trend latency_drift, in percent); and the target's own memory,
-- scraped from its Prometheus endpoint (BASE_URL/metrics, or MONITOR_URL), grows
-- by less than 30% from the end of the warm-up (3 minutes, a tenth of the 30, scaled
-- by TIME_SCALE; not shortened by -d: a run under 3 minutes gets no memory figure).
--   lueng run -e TIME_SCALE=0.004 scripts/soak.lua        -- 30 minutes in 7.2 s
--   lueng run -d 10m scripts/soak.lua                     -- a shorter soak (1 VU, 10 minutes)
-- The fifths follow the scenario's actual length, however it was set.
local drift = require "hotel.drift"
local slo = require "hotel.slo"
local stages = require "lueng.stages"
local timescale = require "lueng.timescale"
local traffic = require "hotel.traffic"

local mix = traffic.new()
local base_url = (ENV.BASE_URL or "http://127.0.0.1:8000"):gsub("/+$", "")

-- At least 100 ms between scrapes, however fast TIME_SCALE runs the test.
local function scaled_ms(seconds)
  return ("%dms"):format(math.max(100, math.floor(timescale.scaled(seconds) * 1000)))
end

options = {
  scenarios = { soak = stages.soak() },
  monitor = {
    targets = { ENV.MONITOR_URL or base_url .. "/metrics" },
    interval = scaled_ms(30),
    warmup = scaled_ms(180),
  },
  thresholds = slo.merge({
    http_req_duration = { { "p(95)<3000", priority = "P0", description = "95% of requests under 3 s" } },
    http_req_failed = { { "rate<0.01", priority = "P0", description = "less than 1% of requests fail" } },
    latency_drift = { { "avg<30", priority = "P1", description = "no latency drift over 30%" } },
    target_process_resident_memory_bytes_growth = {
      { "value<30", priority = "P1", description = "target memory grew by less than 30% over the run" },
    },
  }, slo.endpoints()),
}

function setup() traffic.setup_checks() end

function default(data) drift.record(mix:run(data)) end
