-- The million-VU benchmark: VUS sleeping VUs for HOLD, then stopped at once
-- (gracefulStop 0), so the run's wall time is creation + HOLD + shutdown.
local lueng = require "lueng"

options = {
  scenarios = {
    hold = {
      executor = "constant-vus",
      vus = tonumber(ENV.VUS),
      duration = ENV.HOLD,
      gracefulStop = "0s",
    },
  },
}

function default()
  lueng.sleep(3600)
end
