-- The hotel library as a LuaRocks rock, so hotel projects share and pin it the way
-- Lua projects do (docs/hotel-library.md, "Sharing the library"):
--   cd lib/lua && luarocks --tree ~/.lueng-rocks make lueng-hotel-1.0-1.rockspec
--   eval "$(luarocks --tree ~/.lueng-rocks path)"    # LUA_PATH, which lueng reads
-- It needs lueng's own modules (lueng, lueng.http, lueng.mix...), which every lueng
-- run provides; the rock holds the hotel.* modules only.
rockspec_format = "3.0"
package = "lueng-hotel"
version = "1.0-1"
source = {
  url = "git+https://github.com/lueng/lueng.git",
  tag = "v1.0",
  dir = "lueng/lib/lua",
}
description = {
  summary = "The hotel API library of the lueng load tests",
  detailed = "Requests, signatures, test data, traffic mixes and SLOs of the hotel system " ..
             "(PMS, pre-reservations, WhatsApp Cloud API, Mercado Pago) for lueng scripts.",
  license = "MIT",
}
dependencies = {}
build = {
  type = "builtin",
  modules = {
    hotel = "hotel/init.lua",
    ["hotel.business"] = "hotel/business.lua",
    ["hotel.data"] = "hotel/data.lua",
    ["hotel.mercadopago"] = "hotel/mercadopago.lua",
    ["hotel.pms"] = "hotel/pms.lua",
    ["hotel.reservations"] = "hotel/reservations.lua",
    ["hotel.slo"] = "hotel/slo.lua",
    ["hotel.traffic"] = "hotel/traffic.lua",
    ["hotel.whatsapp"] = "hotel/whatsapp.lua",
  },
}
