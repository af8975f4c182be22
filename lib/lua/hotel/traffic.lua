-- The realistic traffic profile of docs/hotel-api.md as a lueng.mix:
--   reservation users (70): view accommodations 5, check availability 3,
--                           create pre-reservation 2, health check 1; think 1-3 s
--   WhatsApp users (20):    text message 9, audio message 1; think 2-5 s
--   Mercado Pago users (10): payment webhook; think 3-7 s
--   local traffic = require("hotel.traffic").new()
--   function default(data) traffic:run(data) end
-- Tasks get the mix context; `tags(ctx)` (optional) adds tags to every request
-- of an iteration, e.g. the phase of a spike test.
local hotel = require "hotel"
local mix = require "lueng.mix"

local M = {}

local function view_accommodations(ctx)
  local _, list = hotel.pms.accommodations(ctx)
  if list and #list > 0 then hotel.pms.accommodation(ctx, list[ctx.data:int(1, #list)].id) end
end

-- Availability questions come in three forms; the iteration picks one.
local function check_availability(ctx)
  local d = ctx.data
  local check_in, check_out = d:stay()
  local form = d.iteration % 3
  if form == 0 then
    hotel.pms.availability(ctx, { check_in = check_in, check_out = check_out, guests = d:guests(4) })
  elseif form == 1 then
    hotel.pms.room_types(ctx)
  else
    hotel.pms.accommodation_availability(ctx, d:accommodation_id(),
                                         { check_in = check_in, check_out = check_out, guests = d:guests(2) })
  end
end

local function prereserve(ctx) hotel.reservations.flow(ctx) end

-- new([{ tags = function(mix_ctx) -> table }]) -> the mix.
function M.new(options)
  local tags = options and options.tags
  local function task(fn)
    return function(mix_ctx)
      return fn(hotel.context(tags and tags(mix_ctx) or nil))
    end
  end
  return mix.new({
    { name = "reservations", weight = 70, think = mix.between(1, 3), tasks = {
        { name = "view_accommodations", weight = 5, run = task(view_accommodations) },
        { name = "check_availability", weight = 3, run = task(check_availability) },
        { name = "prereserve", weight = 2, run = task(prereserve) },
        { name = "health", weight = 1, run = task(hotel.health) },
    } },
    { name = "whatsapp", weight = 20, think = mix.between(2, 5), tasks = {
        { name = "text", weight = 9, run = task(function(ctx) hotel.whatsapp.send_text(ctx) end) },
        { name = "audio", weight = 1, run = task(hotel.whatsapp.send_audio) },
    } },
    { name = "mercadopago", weight = 10, think = mix.between(3, 7), tasks = {
        { name = "payment", weight = 1, run = task(function(ctx) hotel.mercadopago.post(ctx) end) },
    } },
  })
end

-- setup_checks(): what every scenario's setup() does once: the service is up
-- and the WhatsApp subscription handshake works.
function M.setup_checks()
  local ctx = hotel.context({ phase = "setup" })
  local res = hotel.health(ctx)
  if res.status ~= 200 then
    error(("the service at %s is not healthy (status %d %s)"):format(ctx.base_url, res.status, res.error), 0)
  end
  hotel.whatsapp.verify(ctx)
end

return M
