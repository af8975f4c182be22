-- Smoke test of the hotel system: one VU walks every endpoint for a minute and
-- every answer must be right (p95 < 500 ms, no failed request).
--   lueng run -e BASE_URL=http://127.0.0.1:8000 scripts/smoke.lua
--   lueng run -e TIME_SCALE=0.05 scripts/smoke.lua       -- the same in 3 s
-- -e WHATSAPP_SECRET, MP_SECRET, VERIFY_TOKEN: the target's secrets (defaults:
-- tools/hotel-mock's test values).
local hotel = require "hotel"
local slo = require "hotel.slo"
local stages = require "lueng.stages"
local timescale = require "lueng.timescale"
local lueng = require "lueng"

options = {
  scenarios = { smoke = stages.smoke() },
  thresholds = slo.merge({
    http_req_duration = { { "p(95)<500", priority = "P0", description = "95% of requests under 500 ms" } },
    http_req_failed = { { "rate==0", priority = "P0", description = "no request fails" } },
    checks = { { "rate>0.99", warn = "rate==1", priority = "P1", description = "checks pass" } },
  }, slo.endpoints()),
}

function setup() require("hotel.traffic").setup_checks() end

function default()
  local ctx = hotel.context()
  local d = ctx.data
  lueng.group("health", function()
    hotel.health(ctx)
    hotel.ready(ctx)
  end)
  lueng.group("browse", function()
    local _, list = hotel.pms.accommodations(ctx)
    hotel.pms.accommodation(ctx, list and list[1] and list[1].id or 1)
    hotel.pms.room_types(ctx)
    local check_in, check_out = d:stay()
    hotel.pms.availability(ctx, { check_in = check_in, check_out = check_out, guests = 2 })
    hotel.pms.accommodation_availability(ctx, d:accommodation_id(),
                                         { check_in = check_in, check_out = check_out, guests = 2 })
  end)
  lueng.group("book", function() hotel.reservations.flow(ctx) end)
  lueng.group("whatsapp", function()
    hotel.whatsapp.send_text(ctx)
    hotel.whatsapp.send_status(ctx, "read")
    if d.iteration % 5 == 0 then hotel.whatsapp.send_audio(ctx) end
  end)
  lueng.group("payments", function() hotel.mercadopago.post(ctx) end)
  timescale.sleep(1)
end
