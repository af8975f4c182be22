-- A VU that opens one keep-alive connection and then thinks for an hour.
local http = require "lueng.http"
local lueng = require "lueng"

local url = ENV.URL

function default()
  http.get(url)
  lueng.sleep(3600)
end
