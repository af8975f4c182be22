-- The pre-reservation flow: availability, then prereserve, then GET by id.
local http = require "lueng.http"
local json = require "lueng.json"
local business = require "hotel.business"

local M = {}

local function hotel() return require "hotel" end

-- prereserve(ctx, body) -> res, the reservation (or nil). body is
-- { accommodation_id, check_in, check_out, guests, guest = { name, phone, email } }.
-- 201 is success; 409 (the dates were taken meanwhile) is checked separately,
-- so a conflict shows as its own failing check rather than as a broken API.
function M.prereserve(ctx, body)
  local h = hotel()
  local res = http.post(ctx.base_url .. "/api/v1/reservations/prereserve",
                        json.encode(body, { escape_non_ascii = true }),
                        h.params(ctx, "prereserve", { headers = { ["Content-Type"] = "application/json" } }))
  local reservation = res.status == 201 and h.json(res) or nil
  business.locks_acquired:add(res.status == 201)
  business.constraint_violations:add(res.status == 409)
  h.check(res, "prereserve", {
    ["prereserve is 201"] = function(r) return r.status == 201 end,
    ["prereserve dates were free"] = function(r) return r.status ~= 409 end,
    ["prereserve is pre_reserved"] = reservation ~= nil and reservation.status == "pre_reserved"
      and type(reservation.id) == "string" and type(reservation.expires_at) == "string",
  })
  return res, reservation
end

-- get(ctx, id) -> res, the reservation (or nil).
function M.get(ctx, id)
  local h = hotel()
  local res = http.get(ctx.base_url .. "/api/v1/reservations/" .. id,
                       h.params(ctx, "reservation", { tags = { name = "/api/v1/reservations/{id}" } }))
  local body = res.status == 200 and h.json(res) or nil
  h.check(res, "reservation", {
    ["reservation is 200"] = function(r) return r.status == 200 end,
    ["reservation has its id"] = body ~= nil and body.id == id,
  })
  return res, body
end

-- flow(ctx [, options]) -> the reservation, or nil and why ("no availability",
-- "availability failed", "prereserve failed", "lookup failed").
-- Draws a stay and a guest from ctx.data, asks the PMS what is free, books one
-- of the free units (VUs prefer different units, which keeps them from racing
-- for the same one), then reads the reservation back and compares it.
function M.flow(ctx, options)
  local h = hotel()
  local d = ctx.data
  local check_in, check_out = d:stay(options)
  local guests = d:guests(4)
  local res, room_types = h.pms.availability(ctx, { check_in = check_in, check_out = check_out, guests = guests })
  if not room_types then return nil, "availability failed" end
  local free = {}
  for _, room_type in ipairs(room_types) do
    for _, id in ipairs(room_type.accommodation_ids or {}) do free[#free + 1] = id end
  end
  business.booking_availability:add(#free > 0)
  if #free == 0 then
    business.booking_no_availability:add(1)
    return nil, "no availability"
  end
  table.sort(free)
  local accommodation_id = free[(d.vu - 1) % #free + 1]
  local request = { accommodation_id = accommodation_id, check_in = check_in, check_out = check_out,
                    guests = guests, guest = d:guest() }
  local _, reservation = M.prereserve(ctx, request)
  if not reservation then
    business.booking_success:add(false)
    return nil, "prereserve failed"
  end
  local _, stored = M.get(ctx, reservation.id)
  local matches = stored ~= nil and stored.check_in == check_in
    and stored.check_out == check_out and tonumber(stored.accommodation_id) == accommodation_id
    and stored.guest ~= nil and stored.guest.phone == request.guest.phone
  h.check(stored, "reservation", { ["reservation matches the request"] = matches })
  business.booking_success:add(matches)
  if not stored then return nil, "lookup failed" end
  return stored
end

return M
