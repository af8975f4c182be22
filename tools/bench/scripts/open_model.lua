-- The open model: get_check.lua's GET and status check, started RATE times a
-- second on schedule (constant-arrival-rate) whatever the response times.
-- ENV: URL, RATE (per second), DURATION ("4s"), VUS (preAllocatedVUs), MAX_VUS.
local http = require "lueng.http"
local lueng = require "lueng"

local url = ENV.URL

options = { scenarios = { open = {
  executor = "constant-arrival-rate", rate = tonumber(ENV.RATE), timeUnit = "1s",
  duration = ENV.DURATION, preAllocatedVUs = tonumber(ENV.VUS), maxVUs = tonumber(ENV.MAX_VUS),
} } }

function default()
  local res = http.get(url)
  lueng.check(res, { ["status is 200"] = function(r) return r.status == 200 end })
end
