-- The Locust suite's burst: 100 pre-reservations sent at the same instant (its
-- spike_test.py), each VU one request for its own unit and dates. Every one must be
-- answered (201, or 409 when another took the unit: no 5xx, no timeout), within
-- the pre-reservation SLO (p95 < 3 s).
--   lueng run -e BASE_URL=http://127.0.0.1:8000 scripts/locust-burst.lua
local hotel = require "hotel"
local http = require "lueng.http"
local json = require "lueng.json"
local metrics = require "lueng.metrics"
local traffic = require "hotel.traffic"

local burst = tonumber(ENV.BURST or "100")

options = {
  scenarios = {
    burst = { executor = "per-vu-iterations", vus = burst, iterations = 1, maxDuration = "1m",
              tags = { test_type = "locust-burst" } },
  },
  thresholds = {
    ["http_req_duration{endpoint:prereserve}"] = {
      { "p(95)<3000", priority = "P0", description = "pre-reservation p95 under 3 s" },
    },
    ["http_reqs{endpoint:prereserve}"] = {
      { ("count==%d"):format(burst), priority = "P0", description = "every pre-reservation sent" },
    },
    burst_answered = { { "rate==1", priority = "P0", description = "each answered 201 or 409" } },
  },
}

local answered = metrics.Rate("burst_answered")

function setup() traffic.setup_checks() end

function default()
  local ctx = hotel.context()
  local d = ctx.data
  local check_in, check_out = d:stay()
  local res = http.post(ctx.base_url .. "/api/v1/reservations/prereserve",
    json.encode({ accommodation_id = (d.vu - 1) % 6 + 1, check_in = check_in, check_out = check_out,
                  guests = 1, guest = d:guest() }, { escape_non_ascii = true }),
    hotel.params(ctx, "prereserve", { headers = { ["Content-Type"] = "application/json" } }))
  answered:add(res.status == 201 or res.status == 409)
end
