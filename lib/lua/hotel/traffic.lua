-- The traffic profiles of the team's suites as lueng.mix mixes, chosen with
-- -e MIX=locust (the default) or -e MIX=k6, or new({ profile = "k6" }):
-- locust, the realistic profile of docs/hotel-api.md and the Locust suite:
--   reservation users (70): view accommodations 5, check availability 3,
--                           create pre-reservation 2, health check 1; think 1-3 s
--   WhatsApp users (20):    text message 9, audio message 1; think 2-5 s
--   Mercado Pago users (10): payment webhook; think 3-7 s
-- k6, the load mix of the k6 guide (WhatsApp-heavy, with queries of /metrics): one
--   user whose iterations are WhatsApp messages 60 (text 9 : audio 1), PMS queries
--   40, reservation flows 30, /metrics 10 (the guide's percentages as weights);
--   think 0.3-0.7 s
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

local function metrics_query(ctx) hotel.metrics(ctx) end

local profiles = {}

function profiles.locust(task)
  return {
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
  }
end

function profiles.k6(task)
  return {
    { name = "k6", weight = 1, think = mix.between(0.3, 0.7), tasks = {
        { name = "text", weight = 54, run = task(function(ctx) hotel.whatsapp.send_text(ctx) end) },
        { name = "audio", weight = 6, run = task(hotel.whatsapp.send_audio) },
        { name = "check_availability", weight = 40, run = task(check_availability) },
        { name = "prereserve", weight = 30, run = task(prereserve) },
        { name = "metrics", weight = 10, run = task(metrics_query) },
    } },
  }
end

-- The names of the profiles, for messages and docs.
M.profiles = { "locust", "k6" }

-- The endpoints each profile calls (setup_checks' health and verify included), for
-- per-endpoint SLOs: hotel.slo.endpoints(traffic.endpoints("k6")).
local endpoint_sets = {
  locust = { "health", "verify", "accommodations", "availability", "room_types",
             "accommodation_availability", "prereserve", "reservation", "whatsapp",
             "whatsapp_audio", "mercadopago" },
  k6 = { "health", "verify", "whatsapp", "whatsapp_audio", "availability", "room_types",
         "accommodation_availability", "prereserve", "reservation" },
}
function M.endpoints(profile)
  local set = {}
  for _, endpoint in ipairs(endpoint_sets[profile] or {}) do set[endpoint] = true end
  return set
end

-- new([{ profile = "locust" | "k6", tags = function(mix_ctx) -> table }]) -> the mix.
-- Without a profile, -e MIX=... chooses, and locust is the default.
function M.new(options)
  local tags = options and options.tags
  local name = (options and options.profile) or (ENV and ENV.MIX) or "locust"
  local profile = profiles[name]
  if not profile then
    error(("MIX=%s: no such traffic profile (%s)"):format(tostring(name), table.concat(M.profiles, ", ")), 2)
  end
  local function task(fn)
    return function(mix_ctx)
      return fn(hotel.context(tags and tags(mix_ctx) or nil))
    end
  end
  return mix.new(profile(task))
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
