-- Mercado Pago payment notifications with x-request-id and x-signature.
local crypto = require "lueng.crypto"
local http = require "lueng.http"
local json = require "lueng.json"
local lueng = require "lueng"
local business = require "hotel.business"

local M = {}

local function hotel() return require "hotel" end

-- notification({ payment_id [, action, user_id, live_mode, date_created] }) -> the body table.
function M.notification(payment)
  return {
    action = payment.action or "payment.updated", api_version = "v1",
    data = { id = payment.payment_id }, date_created = payment.date_created or os.date("!%Y-%m-%dT%H:%M:%SZ"),
    id = payment.payment_id, live_mode = payment.live_mode or false, type = "payment",
    user_id = payment.user_id or 724484980,
  }
end

-- manifest(data_id, request_id, ts) -> "id:<id>;request-id:<rid>;ts:<ts>;", leaving
-- out whole any part whose value is nil; an alphanumeric id is lowercased as
-- Mercado Pago does.
function M.manifest(data_id, request_id, ts)
  local parts = {}
  if data_id ~= nil then
    data_id = tostring(data_id)
    if data_id:match("%a") and data_id:match("^%w+$") then data_id = data_id:lower() end
    parts[#parts + 1] = "id:" .. data_id .. ";"
  end
  if request_id ~= nil then parts[#parts + 1] = "request-id:" .. request_id .. ";" end
  if ts ~= nil then parts[#parts + 1] = "ts:" .. ts .. ";" end
  return table.concat(parts)
end

-- signature(secret, data_id, request_id, ts) -> "ts=<ts>,v1=<hex>".
function M.signature(secret, data_id, request_id, ts)
  return ("ts=%s,v1=%s"):format(ts, crypto.hmac("sha256", secret, M.manifest(data_id, request_id, ts), "hex"))
end

-- post(ctx [, { payment_id, request_id, ts }]) -> res: a signed payment notification,
-- checked to be accepted (200 or 201).
function M.post(ctx, payment)
  local h = hotel()
  payment = payment or {}
  local payment_id = payment.payment_id or ctx.data:payment_id()
  local request_id = payment.request_id or crypto.uuid4()
  local ts = payment.ts or ("%d"):format(lueng.now())
  local body = json.encode(M.notification({ payment_id = payment_id }))
  local res = http.post(
    ("%s/api/v1/webhooks/mercadopago?data.id=%s&type=payment"):format(ctx.base_url, payment_id), body,
    h.params(ctx, "mercadopago", {
      headers = { ["Content-Type"] = "application/json", ["x-request-id"] = request_id,
                  ["x-signature"] = M.signature(ctx.mp_secret, payment_id, request_id, ts) },
      tags = { name = "/api/v1/webhooks/mercadopago" },
    }))
  h.check(res, "mercadopago", {
    ["mercadopago webhook is 200"] = function(r) return r.status == 200 or r.status == 201 end,
    ["mercadopago signature accepted"] = function(r) return r.status ~= 401 end,
  })
  business.webhooks_processed:add(res.status == 200 or res.status == 201)
  return res
end

return M
