-- Body of every VU coroutine. One coroutine serves all of a VU's iterations:
-- errors are caught here, so the coroutine never dies and is never rebuilt.
-- Each iteration ends by yielding the marker, the success flag and the result.
return function(exec, data, marker)
  local pcall, yield = pcall, coroutine.yield
  while true do
    local ok, result = pcall(exec, data)
    yield(marker, ok, result)
  end
end
