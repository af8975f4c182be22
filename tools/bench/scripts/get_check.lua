-- The scripted VU of the benchmark: one GET and a status check per iteration,
-- as a k6 user writes it.
local http = require "lueng.http"
local lueng = require "lueng"

local url = ENV.URL

function default()
  local res = http.get(url)
  lueng.check(res, { ["status is 200"] = function(r) return r.status == 200 end })
end
