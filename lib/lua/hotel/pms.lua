-- The PMS and accommodation endpoints: room types, availability, accommodations.
local http = require "lueng.http"

local M = {}

local function hotel() return require "hotel" end

local function ok(r) return r.status == 200 end

-- room_types(ctx) -> res, the list (or nil).
function M.room_types(ctx)
  local h = hotel()
  local res = http.get(ctx.base_url .. "/api/v1/pms/room-types", h.params(ctx, "room_types"))
  local body = h.json(res)
  h.check(res, "room_types", {
    ["room types is 200"] = ok,
    ["room types listed"] = body ~= nil and type(body.room_types) == "table" and #body.room_types > 0,
  })
  return res, body and body.room_types
end

-- availability(ctx, { check_in, check_out, guests [, room_type] }) -> res, the
-- room types (each with available_units and accommodation_ids), or nil.
function M.availability(ctx, stay)
  local h = hotel()
  local query = ("check_in=%s&check_out=%s&guests=%d"):format(stay.check_in, stay.check_out, stay.guests)
  if stay.room_type then query = query .. "&room_type=" .. stay.room_type end
  local res = http.get(ctx.base_url .. "/api/v1/pms/availability?" .. query,
                       h.params(ctx, "availability", { tags = { name = "/api/v1/pms/availability" } }))
  local body = h.json(res)
  h.check(res, "availability", {
    ["availability is 200"] = ok,
    ["availability lists room types"] = body ~= nil and type(body.room_types) == "table",
  })
  return res, body and body.room_types
end

-- accommodations(ctx) -> res, the list (or nil).
function M.accommodations(ctx)
  local h = hotel()
  local res = http.get(ctx.base_url .. "/api/v1/accommodations", h.params(ctx, "accommodations"))
  local body = h.json(res)
  h.check(res, "accommodations", {
    ["accommodations is 200"] = ok,
    ["accommodations listed"] = body ~= nil and type(body.accommodations) == "table" and #body.accommodations > 0,
  })
  return res, body and body.accommodations
end

-- accommodation(ctx, id) -> res, the accommodation (or nil).
function M.accommodation(ctx, id)
  local h = hotel()
  local res = http.get(ctx.base_url .. "/api/v1/accommodations/" .. id,
                       h.params(ctx, "accommodations", { tags = { name = "/api/v1/accommodations/{id}" } }))
  local body = h.json(res)
  h.check(res, "accommodations", {
    ["accommodation is 200"] = ok,
    ["accommodation has its id"] = body ~= nil and tostring(body.id) == tostring(id),
  })
  return res, body
end

-- accommodation_availability(ctx, id, { check_in, check_out [, guests] }) -> res, available (boolean or nil).
function M.accommodation_availability(ctx, id, stay)
  local h = hotel()
  local url = ("%s/api/v1/accommodations/%s/availability?check_in=%s&check_out=%s&guests=%d"):format(
    ctx.base_url, id, stay.check_in, stay.check_out, stay.guests or 1)
  local res = http.get(url, h.params(ctx, "accommodation_availability",
                                     { tags = { name = "/api/v1/accommodations/{id}/availability" } }))
  local body = h.json(res)
  h.check(res, "accommodation_availability", {
    ["accommodation availability is 200"] = ok,
    ["accommodation availability answers"] = body ~= nil and type(body.available) == "boolean",
  })
  return res, body and body.available
end

return M
