-- The hotel-API library: what the scenario scripts of any hotel project share.
--   local hotel = require "hotel"
--   local ctx = hotel.context()              -- base URL, secrets, this iteration's data
--   hotel.health(ctx)
--   hotel.reservations.flow(ctx)
--   hotel.whatsapp.send_text(ctx)
-- Each request carries an `endpoint` tag (the names of tools/hotel-mock and of
-- the per-endpoint SLOs) and is checked; the functions return the response.
local http = require "lueng.http"
local lueng = require "lueng"

local M = {}

M.data = require "hotel.data"

-- Settings from -e flags, with the defaults of tools/hotel-mock.
function M.settings()
  return {
    base_url = (ENV.BASE_URL or "http://127.0.0.1:8000"):gsub("/+$", ""),
    whatsapp_secret = ENV.WHATSAPP_SECRET or "test_app_secret",
    mp_secret = ENV.MP_SECRET or "test_secret",
    verify_token = ENV.VERIFY_TOKEN or "test_verify_token",
    -- The liveness path: the Locust suite's system answers /api/v1/healthz.
    health_path = ENV.HEALTH_PATH or "/health/live",
  }
end

-- context([tags]) -> { base_url, secrets..., data = a generator for the running
-- VU's iteration, tags = extra tags for every request }.
function M.context(tags)
  local ctx = M.settings()
  ctx.data = M.data.current()
  ctx.tags = tags or {}
  return ctx
end

-- The `name` tag of endpoints whose URLs carry no ids: the path, without the
-- base URL, so every endpoint has one line in the summary whatever the target.
-- WhatsApp voice notes get a line of their own (and their own SLO).
M.names = {
  health = "/health/live", accommodations = "/api/v1/accommodations",
  room_types = "/api/v1/pms/room-types", prereserve = "/api/v1/reservations/prereserve",
  whatsapp = "/api/v1/webhooks/whatsapp", whatsapp_audio = "/api/v1/webhooks/whatsapp (audio)",
}

-- params(ctx, endpoint [, extra]) -> request params with the endpoint and name
-- tags, the context's tags and `extra` (headers, tags...).
function M.params(ctx, endpoint, extra)
  local tags = { endpoint = endpoint, name = M.names[endpoint] }
  for key, value in pairs(ctx.tags or {}) do tags[key] = value end
  local params = { tags = tags, headers = {} }
  for key, value in pairs(extra or {}) do
    if key == "tags" then
      for tag, tag_value in pairs(value) do tags[tag] = tag_value end
    else
      params[key] = value
    end
  end
  return params
end

-- check(res, endpoint, checks): lueng.check tagged with the endpoint.
function M.check(res, endpoint, checks)
  return lueng.check(res, checks, { endpoint = endpoint })
end

-- json(res): the decoded body, or nil when it is not JSON.
function M.json(res)
  local ok, value = pcall(res.json, res)
  if ok then return value end
  return nil
end

-- health(ctx): GET the health path (/health/live, or -e HEALTH_PATH=...), checked:
-- 200, and at the default path the mock's {"status":"ok"} (another system's health
-- answer has a shape of its own).
function M.health(ctx)
  local path = ctx.health_path or "/health/live"
  local res = http.get(ctx.base_url .. path, M.params(ctx, "health", { tags = { name = path } }))
  local checks = { ["health is 200"] = function(r) return r.status == 200 end }
  if path == "/health/live" then
    checks["health says ok"] = function(r) local b = M.json(r) return b ~= nil and b.status == "ok" end
  end
  M.check(res, "health", checks)
  return res
end

-- ready(ctx): GET /health/ready (503 while the service is overloaded).
function M.ready(ctx)
  local res = http.get(ctx.base_url .. "/health/ready", M.params(ctx, "health", { tags = { name = "/health/ready" } }))
  M.check(res, "health", { ["ready is 200"] = function(r) return r.status == 200 end })
  return res
end

-- metrics(ctx): GET /metrics (Prometheus text), checked; the k6 mix queries it.
function M.metrics(ctx)
  local res = http.get(ctx.base_url .. "/metrics", M.params(ctx, "metrics", { tags = { name = "/metrics" } }))
  M.check(res, "metrics", { ["metrics is 200"] = function(r) return r.status == 200 end })
  return res
end

M.pms = require "hotel.pms"
M.reservations = require "hotel.reservations"
M.whatsapp = require "hotel.whatsapp"
M.mercadopago = require "hotel.mercadopago"

return M
