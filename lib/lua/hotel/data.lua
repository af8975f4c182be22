-- Seeded test data: E.164 phone numbers of several countries, guest names and
-- emails, future stays, ids. A generator belongs to one VU and one iteration:
--   local d = data.current()           -- the running VU's iteration
--   local d = data.new(vu, iteration)  -- any, e.g. in tests
-- The same seed, VU and iteration always give the same values (ENV.DATA_SEED
-- changes the seed, default 1). Phones, emails and payment ids are unique per
-- VU and iteration (and per call within an iteration) for VU ids below 1000,
-- iterations below 12500 and up to 8 calls of each kind per iteration. VU 0 is
-- setup()'s and teardown()'s (lueng.vu.id there, as k6's __VU).
local lueng = require "lueng"

local M = {}

local MAX_VUS, MAX_CALLS = 1000, 8
local SPACE = 100000000 -- 10^8: the unique keys, and the 8 free digits of a phone

M.seed = tonumber(ENV and ENV.DATA_SEED or "") or 1

-- A bijection of [0, 10^8): multiplication by a number prime to 10, then an
-- offset, so consecutive keys give numbers that look unrelated.
local function permute(key)
  return (key * 7654321 + 13579) % SPACE
end

-- Park-Miller "minimal standard" generator: exact in doubles.
local MODULUS, MULTIPLIER = 2147483647, 48271

local function mix_seed(...)
  local state = 20161
  for _, value in ipairs({ ... }) do
    state = (state * MULTIPLIER + value * 40503 + 1) % MODULUS -- < 2^53: exact
  end
  return state == 0 and 1 or state
end

local Generator = {}
Generator.__index = Generator

-- new(vu, iteration [, seed]) -> a generator for that VU's iteration.
function M.new(vu, iteration, seed)
  assert(type(vu) == "number" and vu >= 0, "data.new: vu must be a number >= 0")
  assert(type(iteration) == "number" and iteration >= 0, "data.new: iteration must be >= 0")
  seed = seed or M.seed
  return setmetatable({
    vu = vu, iteration = iteration, calls = {},
    state = mix_seed(seed, vu, iteration),
  }, Generator)
end

-- current() -> the generator of the running VU and iteration.
function M.current()
  return M.new(lueng.vu.id or 0, lueng.vu.iteration or 0)
end

-- random() in [0, 1); int(a, b) whole in [a, b].
function Generator:random()
  self.state = self.state * MULTIPLIER % MODULUS
  return (self.state - 1) / (MODULUS - 1)
end

function Generator:int(low, high)
  return low + math.floor(self:random() * (high - low + 1))
end

function Generator:pick(list)
  return list[self:int(1, #list)]
end

-- A key in [0, 10^8) unique per (VU, iteration, kind of value, call).
function Generator:unique_key(kind)
  local call = self.calls[kind] or 0
  self.calls[kind] = call + 1
  local key = ((self.iteration * MAX_VUS + (self.vu % MAX_VUS)) * MAX_CALLS + call % MAX_CALLS) % SPACE
  return key
end

-- Country formats: E.164 ("+" and at most 15 digits), mobile numbers.
local US_AREAS = { 201, 202, 203, 205, 206, 207, 208, 209, 210, 212, 213, 214, 215 }
local PHONE_FORMATS = {
  AR = function(n) return ("+54911%08d"):format(n) end,     -- Buenos Aires mobile
  BR = function(n) return ("+55119%08d"):format(n) end,     -- Sao Paulo mobile
  MX = function(n) return ("+5255%08d"):format(n) end,      -- Mexico City
  CL = function(n) return ("+569%08d"):format(n) end,       -- Chile mobile
  ES = function(n) return ("+346%08d"):format(n) end,       -- Spain mobile
  US = function(n)                                          -- NANP: NXX exchange
    return ("+1%d%07d"):format(US_AREAS[math.floor(n / 8000000) + 1], 2000000 + n % 8000000)
  end,
}
M.countries = { "AR", "BR", "MX", "CL", "ES", "US" }

-- phone([country]) -> "+5491155501234"; the country is drawn when not given.
function Generator:phone(country)
  country = country or self:pick(M.countries)
  local format = PHONE_FORMATS[country]
  if not format then
    error("data.phone: unknown country '" .. tostring(country) .. "' (" .. table.concat(M.countries, ", ") .. ")", 2)
  end
  return format(permute(self:unique_key("phone")))
end

-- wa_id([country]) -> the phone without "+", as WhatsApp names senders.
function Generator:wa_id(country)
  return (self:phone(country):sub(2))
end

local FIRST = { "Sofía", "Mateo", "Valentina", "Joaquín", "Camila", "Martín", "Lucía", "Benjamín",
                "Isabella", "Tomás", "Martina", "Agustín", "Emma", "Julián", "Olivia", "Sheena" }
local LAST = { "González", "Rodríguez", "Fernández", "López", "Martínez", "Pérez", "Gómez",
               "Díaz", "Silva", "Sánchez", "Romero", "Nelson", "Álvarez", "Muñoz", "Rojas", "Castro" }

-- name() -> "Lucía Fernández" (UTF-8, accents included: payloads must escape them).
function Generator:name()
  return self:pick(FIRST) .. " " .. self:pick(LAST)
end

local ASCII = { ["á"] = "a", ["é"] = "e", ["í"] = "i", ["ó"] = "o", ["ú"] = "u", ["ñ"] = "n",
                ["Á"] = "a", ["É"] = "e", ["Í"] = "i", ["Ó"] = "o", ["Ú"] = "u", ["Ñ"] = "n" }

-- email([name]) -> "lucia.fernandez.3.17.0@example.com": unique per VU, iteration, call.
function Generator:email(name)
  name = name or self:name()
  local local_part = name:gsub("[\195][\128-\191]", ASCII):lower():gsub("[^a-z0-9]+", ".")
  local call = self.calls.email or 0
  self.calls.email = call + 1
  return ("%s.%d.%d.%d@example.com"):format(local_part, self.vu, self.iteration, call)
end

-- The guests file in use (use_guest_file), nil while guests are generated.
local guest_rows, guest_pick

-- use_guest_file(path [, pick]): guest() takes its guests from a CSV the team
-- maintains (columns name, email, phone; document, country and others are passed
-- on), loaded once per process by lueng.data and shared by every VU. `pick` is a
-- lueng.data pick: "circular" (default: each iteration the next guest, all over
-- the test, starting over after the last), "unique" (each guest once: an error
-- when they run out), "per_vu" or "random". The path is found as lueng.data finds
-- files: the script's folder, then the module path. ENV.GUESTS_CSV does the same
-- (and ENV.GUESTS_PICK chooses the pick).
function M.use_guest_file(path, pick)
  pick = pick or "circular"
  local rows = require("lueng.data").csv(path)
  if type(rows[pick]) ~= "function" then
    error("use_guest_file: pick must be circular, unique, per_vu or random, not " .. tostring(pick), 2)
  end
  for _, column in ipairs({ "name", "email", "phone" }) do
    local found = false
    for _, name in ipairs(rows:header()) do found = found or name == column end
    if not found then error("use_guest_file: " .. path .. " has no '" .. column .. "' column", 2) end
  end
  guest_rows, guest_pick = rows, pick
end

-- guest([country]) -> { name, phone, email } for a pre-reservation: generated, or
-- this iteration's row of the guests file (every column of it, as strings).
function Generator:guest(country)
  if guest_rows then
    local row, guest = guest_rows[guest_pick](guest_rows), {}
    for i, column in ipairs(guest_rows:header()) do guest[column] = row[i] end
    return guest
  end
  local name = self:name()
  return { name = name, phone = self:phone(country), email = self:email(name) }
end

local DAY = 86400

-- stay({ min_ahead = 7, max_ahead = 180, max_nights = 5 }) -> check_in, check_out, nights:
-- dates (YYYY-MM-DD, UTC) from min_ahead to max_ahead days after today, check_out after check_in.
function Generator:stay(options)
  options = options or {}
  local min_ahead, max_ahead = options.min_ahead or 7, options.max_ahead or 180
  local nights = self:int(1, options.max_nights or 5)
  local today = os.time()
  local check_in = today + self:int(min_ahead, max_ahead) * DAY
  return os.date("!%Y-%m-%d", check_in), os.date("!%Y-%m-%d", check_in + nights * DAY), nights
end

-- guests(max) -> 1..max (default 4).
function Generator:guests(max) return self:int(1, max or 4) end

-- accommodation_id() -> one of the hotel's accommodations, 1..6.
function Generator:accommodation_id() return self:int(1, 6) end

-- payment_id() -> a 10-digit numeric string, unique per VU, iteration and call.
function Generator:payment_id()
  return tostring(1000000000 + permute(self:unique_key("payment")))
end

-- message_id() -> "wamid." and a unique tail, like WhatsApp's message ids.
function Generator:message_id()
  return ("wamid.HBgL%08d%04dFQIAEhgU"):format(permute(self:unique_key("message")), self:int(0, 9999))
end

-- timestamp() -> seconds since the epoch as a string, as WhatsApp sends it.
function Generator:timestamp() return tostring(os.time()) end

-- text() -> a guest's question, in Spanish with accents.
local TEXTS = {
  "Hola, ¿hay disponibilidad para el 20 de diciembre?",
  "¿Cuánto cuesta la cabaña para 4 personas?",
  "Quisiera reservar dos noches en enero, ¿se puede?",
  "¿Aceptan mascotas? Viajamos con un perro pequeño.",
  "Buen día, ¿el desayuno está incluido?",
  "Necesito cambiar la fecha de mi reserva, por favor.",
}
function Generator:text() return self:pick(TEXTS) end

if ENV and ENV.GUESTS_CSV then M.use_guest_file(ENV.GUESTS_CSV, ENV.GUESTS_PICK) end

return M
