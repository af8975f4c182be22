-- The scripted VU with the response body discarded as it arrives.
local http = require "lueng.http"
local lueng = require "lueng"

local url = ENV.URL
local params = { responseType = "none" }

function default()
  local res = http.get(url, params)
  lueng.check(res, { ["status is 200"] = function(r) return r.status == 200 end })
end
