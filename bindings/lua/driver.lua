-- Body of every VU coroutine. One coroutine serves all of a VU's iterations:
-- errors are caught here, so the coroutine never dies and is never rebuilt.
-- Each iteration ends by yielding the marker, the success flag and the result,
-- unless it ended cleanly and `next_now()` (Vu::end_iteration_in_script) ended it
-- and began the VU's next: then the next runs at once, without a round trip
-- through the engine's loop.
local next_now = ...
local getinfo, getmetatable, pcall, tostring, type = debug.getinfo, getmetatable, pcall, tostring, type

-- A table raised as the error (`error({ code = 5 })`) carries no place, and this
-- handler is the last moment the raising line is known: "file:line: " and the
-- table's __tostring text (else Lua's words for it), as a string error has them.
local function placed(e)
  if type(e) ~= "table" then return e end
  local text = "(error object is a table value)"
  local meta = getmetatable(e)
  if type(meta) == "table" and meta.__tostring then
    local ok, s = pcall(tostring, e)
    if ok and type(s) == "string" then text = s end
  end
  for level = 2, 50 do
    local info = getinfo(level, "Sl")
    if not info then break end
    if info.currentline and info.currentline > 0 then
      return info.short_src .. ":" .. info.currentline .. ": " .. text
    end
  end
  return text
end

return function(exec, data, marker)
  local xpcall, yield = xpcall, coroutine.yield
  while true do
    local ok, result = xpcall(exec, placed, data)
    if not (ok and result == nil and next_now()) then yield(marker, ok, result) end
  end
end
