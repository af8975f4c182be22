-- wrk with a script: a request() building each request and a response() checking
-- the status, the nearest wrk gets to a scripted VU.
local path = nil
local failed = 0

function init(args)
  path = wrk.path
end

function request()
  return wrk.format("GET", path)
end

function response(status, headers, body)
  if status ~= 200 then failed = failed + 1 end
end
