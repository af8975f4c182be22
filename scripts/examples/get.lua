-- The smallest useful lueng script: GET one URL and check the answer.
--   lueng run -u 20 -d 30s -e BASE_URL=http://127.0.0.1:8000 scripts/examples/get.lua
local http = require "lueng.http"
local lueng = require "lueng"

local base_url = ENV.BASE_URL or "http://127.0.0.1:8000"

function default()
  local res = http.get(base_url .. "/health/live", { tags = { endpoint = "health" } })
  lueng.check(res, {
    ["status is 200"] = function(r) return r.status == 200 end,
    ["body says ok"] = function(r) return r.body:find('"ok"', 1, true) ~= nil end,
  })
  lueng.sleep(0.1)
end
