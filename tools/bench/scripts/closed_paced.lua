-- The closed model paced to RATE iterations a second: VUS looping VUs
-- (constant-vus), each starting its iterations VUS / RATE seconds apart, the VUs
-- staggered over that period so that starts are spread as evenly as the open
-- model's. The same GET and status check as get_check.lua and open_model.lua.
-- ENV: URL, RATE (per second, over all VUs), DURATION ("4s"), VUS.
local http = require "lueng.http"
local lueng = require "lueng"

local url = ENV.URL
local vus = tonumber(ENV.VUS)
local period = vus / tonumber(ENV.RATE)

options = { scenarios = { closed = { executor = "constant-vus", vus = vus, duration = ENV.DURATION } } }

function default()
  local now = lueng.now() / 1000
  -- A global: each VU has its own, kept from one iteration to the next.
  if not next_start then next_start = now + period * (lueng.vu.id_in_scenario - 1) / vus end
  if next_start > now then lueng.sleep(next_start - now) end
  local res = http.get(url)
  lueng.check(res, { ["status is 200"] = function(r) return r.status == 200 end })
  next_start = next_start + period
end
