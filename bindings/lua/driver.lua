-- Body of every VU coroutine. One coroutine serves all of a VU's iterations:
-- errors are caught here, so the coroutine never dies and is never rebuilt.
-- Each iteration ends by yielding the marker, the success flag and the result,
-- unless it ended cleanly and `next_now()` (Vu::end_iteration_in_script) ended it
-- and began the VU's next: then the next runs at once, without a round trip
-- through the engine's loop.
local next_now = ...
return function(exec, data, marker)
  local pcall, yield = pcall, coroutine.yield
  while true do
    local ok, result = pcall(exec, data)
    if not (ok and result == nil and next_now()) then yield(marker, ok, result) end
  end
end
