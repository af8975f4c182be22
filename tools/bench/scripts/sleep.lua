-- A VU in think time: the memory benchmark measures what an idle VU costs.
local lueng = require "lueng"

function default()
  lueng.sleep(3600)
end
