-- The `lueng` module: the script-facing half written in Lua, so that check and
-- group can call script functions that yield (http, sleep) from inside them.
local core = ...

local M = {}

-- The functions check calls on every entry, as upvalues: no look-up by name.
local type, pairs, tostring, record_check = type, pairs, tostring, core.record_check

-- check(value, { ["name"] = function(v) return bool end | bool, ... } [, tags])
-- Records one sample of the `checks` rate per entry; true when all passed.
function M.check(value, checks, tags)
  if type(checks) ~= "table" then
    error("check: the second argument must be a table of named checks", 2)
  end
  local all = true
  for name, predicate in pairs(checks) do
    local passed = predicate
    if type(predicate) == "function" then
      passed = predicate(value)
    end
    passed = passed and true or false
    record_check(tostring(name), passed, tags)
    all = all and passed
  end
  return all
end

-- group(name, fn): runs fn with the group tag extended by "::name" and records
-- group_duration. Errors pass through after the group is closed.
function M.group(name, fn)
  if type(fn) ~= "function" then
    error("group: the second argument must be a function", 2)
  end
  local token = core.group_enter(tostring(name))
  local ok, result = pcall(fn)
  core.group_leave(token)
  if not ok then error(result, 0) end
  return result
end

M.sleep = core.sleep

-- now(): wall-clock milliseconds since the Unix epoch (fractions included).
M.now = core.now

-- random_seed(n): in init code, the run's seed of math.random (k6's randomSeed);
-- --random-seed wins over it.
M.random_seed = core.random_seed

-- fail(message): ends the current iteration with an error, like k6's fail();
-- counted as a deliberate failure, not as a script error.
function M.fail(message)
  core.fail(message ~= nil and tostring(message) or "fail() called")  -- not a tail call: the
end                                                                   -- caller's line is 2 up

-- vu.id, vu.iteration, vu.iteration_in_scenario, vu.scenario, vu.id_in_scenario,
-- vu.scenario_start, vu.scenario_elapsed, vu.test_elapsed (docs/lua-api.md)
-- vu.tags (k6's exec.vu.tags, also as vu.metrics.tags): read and set one tag
-- by name; called, a table of them all (LuaJIT's pairs() ignores __pairs, which
-- lueng.json.encode follows).
local vu_tags = setmetatable({}, {
  __index = function(_, key) return core.vu_tag(key) end,
  __pairs = function() return next, core.vu_tags(), nil end,
  __newindex = function(_, key, value)
    local ok, problem = pcall(core.set_vu_tag, key, value)
    if not ok then error(problem, 2) end  -- at the script's line that set it
  end,
  __call = function() return core.vu_tags() end,
})
-- vu.metrics.metadata (k6's exec.vu.metrics.metadata): the same for values that
-- reach the JSON and CSV outputs only, never tags.
local vu_metadata = setmetatable({}, {
  __index = function(_, key) return core.vu_metadatum(key) end,
  __newindex = function(_, key, value)
    local ok, problem = pcall(core.set_vu_metadata, key, value)
    if not ok then error(problem, 2) end
  end,
  __pairs = function() return next, core.vu_metadata(), nil end,
  __call = function() return core.vu_metadata() end,
})
local vu_metrics = setmetatable({ tags = vu_tags, metadata = vu_metadata }, {
  __newindex = function() error("lueng.vu.metrics is read-only", 2) end,
})
M.vu = setmetatable({}, {
  __index = function(_, key)
    if key == "tags" then return vu_tags end
    if key == "metrics" then return vu_metrics end
    return core.vu_field(key)
  end,
  __newindex = function() error("lueng.vu is read-only", 2) end,
})

-- scenario.name, scenario.executor, scenario.iteration_in_test,
-- scenario.iteration_in_instance, scenario.start_time, scenario.progress (k6's
-- exec.scenario; camelCase aliases too; docs/lua-api.md)
M.scenario = setmetatable({}, {
  __index = function(_, key) return core.scenario_field(key) end,
  __newindex = function() error("lueng.scenario is read-only", 2) end,
})

-- instance.iterations_completed, instance.iterations_interrupted,
-- instance.vus_active, instance.vus_initialized, instance.current_test_run_duration
-- (k6's exec.instance; camelCase aliases too; docs/lua-api.md)
M.instance = setmetatable({}, {
  __index = function(_, key) return core.instance_field(key) end,
  __newindex = function() error("lueng.instance is read-only", 2) end,
})

-- test.abort([message]) stops the test (exit 108), test.fail([message]) lets it
-- go on and fails it (exit 110), test.options: the script's options (k6's exec.test)
local test_functions = { abort = core.test_abort, fail = core.test_fail }
M.test = setmetatable({}, {
  __index = function(_, key)
    if key == "options" then return core.test_options() end
    return test_functions[key]
  end,
  __newindex = function() error("lueng.test is read-only", 2) end,
})

M.version = core.version

return M
