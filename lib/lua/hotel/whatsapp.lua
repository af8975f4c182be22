-- WhatsApp Cloud API webhooks as Meta sends them: text, audio and status-update
-- payloads, the X-Hub-Signature-256 signature, the verify handshake.
local crypto = require "lueng.crypto"
local http = require "lueng.http"
local json = require "lueng.json"
local business = require "hotel.business"

local M = {}

local function hotel() return require "hotel" end

M.business_account_id = "102290129340398"
M.display_phone_number = "15550783881"
M.phone_number_id = "106540352242922"

-- envelope(value) -> the webhook body around one change value.
function M.envelope(value)
  value.messaging_product = "whatsapp"
  value.metadata = { display_phone_number = M.display_phone_number, phone_number_id = M.phone_number_id }
  return {
    object = "whatsapp_business_account",
    entry = { { id = M.business_account_id, changes = { { value = value, field = "messages" } } } },
  }
end

-- text_payload({ from, name, text, id, timestamp }) -> the body table of a text message.
function M.text_payload(message)
  return M.envelope({
    contacts = { { profile = { name = message.name }, wa_id = message.from } },
    messages = { { from = message.from, id = message.id, timestamp = message.timestamp,
                   type = "text", text = { body = message.text } } },
  })
end

-- audio_payload({ from, name, id, timestamp, media_id, sha256 }) -> a voice note.
function M.audio_payload(message)
  return M.envelope({
    contacts = { { profile = { name = message.name }, wa_id = message.from } },
    messages = { { from = message.from, id = message.id, timestamp = message.timestamp, type = "audio",
                   audio = { mime_type = "audio/ogg; codecs=opus", sha256 = message.sha256,
                             id = message.media_id, voice = true } } },
  })
end

-- status_payload({ id, status, timestamp, recipient_id }) -> a status update
-- (status: sent, delivered, read or failed).
function M.status_payload(status)
  return M.envelope({
    statuses = { { id = status.id, status = status.status, timestamp = status.timestamp,
                   recipient_id = status.recipient_id } },
  })
end

-- encode(payload) -> the body bytes, non-ASCII escaped as \uXXXX the way Meta sends it.
function M.encode(payload)
  return json.encode(payload, { escape_non_ascii = true })
end

-- signature(body, secret) -> "sha256=<hex>" over exactly these bytes.
function M.signature(body, secret)
  return "sha256=" .. crypto.hmac("sha256", secret, body, "hex")
end

-- post(ctx, payload [, endpoint]) -> res: encodes, signs and POSTs a payload,
-- checking that it was accepted. endpoint is the tag ("whatsapp" by default,
-- "whatsapp_audio" for voice notes, which have their own SLO).
function M.post(ctx, payload, endpoint)
  local h = hotel()
  endpoint = endpoint or "whatsapp"
  local body = M.encode(payload)
  local res = http.post(ctx.base_url .. "/api/v1/webhooks/whatsapp", body, h.params(ctx, endpoint, {
    headers = { ["Content-Type"] = "application/json",
                ["X-Hub-Signature-256"] = M.signature(body, ctx.whatsapp_secret) },
  }))
  h.check(res, endpoint, {
    ["whatsapp webhook is 200"] = function(r) return r.status == 200 end,
    ["whatsapp signature accepted"] = function(r) return r.status ~= 401 end,
  })
  business.webhooks_processed:add(res.status == 200)
  return res
end

-- A message from this iteration's guest.
local function from_guest(d)
  return { from = d:wa_id(), name = d:name(), id = d:message_id(), timestamp = d:timestamp() }
end

-- send_text(ctx [, text]) -> res: a guest's text message.
function M.send_text(ctx, text)
  local message = from_guest(ctx.data)
  message.text = text or ctx.data:text()
  return M.post(ctx, M.text_payload(message), "whatsapp")
end

-- send_audio(ctx) -> res: a guest's voice note.
function M.send_audio(ctx)
  local d = ctx.data
  local message = from_guest(d)
  message.media_id = tostring(d:payment_id())
  message.sha256 = crypto.sha256(message.id, "base64")
  return M.post(ctx, M.audio_payload(message), "whatsapp_audio")
end

-- send_status(ctx [, status]) -> res: a delivery receipt for a message we sent.
function M.send_status(ctx, status)
  local d = ctx.data
  return M.post(ctx, M.status_payload({ id = d:message_id(), status = status or "delivered",
                                        timestamp = d:timestamp(), recipient_id = d:wa_id() }), "whatsapp")
end

-- verify(ctx [, token [, challenge]]) -> res: the subscription handshake; the
-- answer must be 200 with the challenge echoed.
function M.verify(ctx, token, challenge)
  local h = hotel()
  challenge = challenge or tostring(ctx.data:int(100000000, 999999999))
  local url = ("%s/api/v1/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=%s&hub.challenge=%s"):format(
    ctx.base_url, require("lueng.encoding").url_encode(token or ctx.verify_token), challenge)
  local res = http.get(url, h.params(ctx, "verify", { tags = { name = "/api/v1/webhooks/whatsapp?hub.mode=subscribe" } }))
  h.check(res, "verify", {
    ["verify is 200"] = function(r) return r.status == 200 end,
    ["verify echoes the challenge"] = function(r) return r.body == challenge end,
  })
  return res
end

return M
