-- A VU in think time that has read its row of a data set: the data-memory
-- benchmark measures what a lueng.data CSV adds to a process, and that VUs
-- reading it add nothing per VU. Without ENV.DATA_CSV it is sleep.lua.
local lueng = require "lueng"
local data = require "lueng.data"

local rows = ENV.DATA_CSV and data.csv(ENV.DATA_CSV, { types = { nights = "number", vip = "boolean" } })

-- -e READ_ROW=0: the VUs hold the data set but read nothing from it.
local read_row = ENV.READ_ROW ~= "0"

function default()
  if rows and read_row then
    local row = rows:per_vu()
    assert(row.email and row.nights, "every row has an email and nights")
  end
  lueng.sleep(3600)
end
