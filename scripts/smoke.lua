-- Smoke test of the hotel system: one VU walks the main read endpoints for a
-- minute and every answer must be right. Run against the hotel mock with
--   lueng run -e BASE_URL=http://127.0.0.1:8000 scripts/smoke.lua
local http = require "lueng.http"
local lueng = require "lueng"

local base_url = ENV.BASE_URL or "http://127.0.0.1:8000"

options = {
  scenarios = {
    smoke = { executor = "constant-vus", vus = 1, duration = "1m", tags = { test_type = "smoke" } },
  },
}

local function ok(res) return res.status == 200 end

-- A stay of 2 nights starting 30 to 60 days from now, different per iteration.
local function stay()
  local day = 86400
  local check_in = os.time() + (30 + (lueng.vu.iteration % 30)) * day
  return os.date("!%Y-%m-%d", check_in), os.date("!%Y-%m-%d", check_in + 2 * day)
end

function default()
  lueng.group("health", function()
    local res = http.get(base_url .. "/health/live", { tags = { endpoint = "health" } })
    lueng.check(res, { ["health is 200"] = ok })
  end)

  lueng.group("browse", function()
    local res = http.get(base_url .. "/api/v1/accommodations", { tags = { endpoint = "accommodations" } })
    lueng.check(res, {
      ["accommodations is 200"] = ok,
      ["accommodations is JSON"] = function(r) return pcall(r.json, r) end,
    })
    local check_in, check_out = stay()
    res = http.get(base_url .. "/api/v1/pms/availability?check_in=" .. check_in ..
                     "&check_out=" .. check_out .. "&guests=2",
                   { tags = { endpoint = "availability", name = "/api/v1/pms/availability" } })
    lueng.check(res, { ["availability is 200"] = ok })
  end)

  lueng.sleep(1)
end
