-- A weighted traffic mix in the manner of Locust: user classes with weights,
-- each with weighted tasks and a think time.
--
--   local mix = require "lueng.mix"
--   local traffic = mix.new({
--     { name = "browsers", weight = 70, think = mix.between(1, 3),
--       tasks = { { name = "home", weight = 5, run = function(ctx) ... end },
--                 { name = "search", weight = 1, run = search } } },
--     { name = "buyers", weight = 30, think = mix.between(2, 5), tasks = { ... } },
--   })
--   function default(data) traffic:run(data) end
--
-- Every iteration picks its class by the weights, whichever VU runs it and
-- whichever executor started it: a smooth weighted round robin over the classes,
-- at a position shared by all the VUs of a worker (module state is per worker).
-- In any n consecutive iterations of a worker, a class of weight w out of a
-- total W gets n * w / W of them, give or take less than two, and exactly that
-- over each full cycle (W iterations after dividing the weights by their
-- greatest common divisor: 10 for 70/20/10). The class's task is picked the same
-- way among its tasks, then the iteration sleeps the class's think time (scaled
-- by TIME_SCALE). Each worker starts at a point of the cycles drawn with
-- math.random (seeded per run, see lueng.random_seed), so workers do not all
-- begin with the same class, and even short time-scaled runs see every task.
local lueng = require "lueng"
local timescale = require "lueng.timescale"

local M = {}

-- between(a, b): a think time drawn uniformly from [a, b] seconds per iteration.
function M.between(low, high)
  if type(low) ~= "number" or type(high) ~= "number" or low < 0 or high < low then
    error("mix.between(a, b): needs numbers 0 <= a <= b", 2)
  end
  return function() return low + (high - low) * math.random() end
end

-- constant(s): always s seconds.
function M.constant(seconds)
  return function() return seconds end
end

local function check_weighted(list, what, level)
  if type(list) ~= "table" or #list == 0 then
    error("mix: " .. what .. " must be a non-empty list", level)
  end
  for i, item in ipairs(list) do
    local weight = item.weight
    if type(weight) ~= "number" or weight <= 0 or weight ~= math.floor(weight) then
      error(("mix: %s[%d] (%s) needs a positive whole weight"):format(what, i, tostring(item.name)), level)
    end
  end
end

local function gcd(a, b)
  while b ~= 0 do a, b = b, a % b end
  return a
end

-- A smooth weighted round robin over `items`: a cycle of sum(weights) slots (after
-- dividing the weights by their greatest common divisor) where each item appears
-- in proportion to its weight, spread out rather than in runs.
local function weighted_cycle(items)
  local divisor = 0
  for _, item in ipairs(items) do divisor = gcd(item.weight, divisor) end
  local cycle, current, total = {}, {}, 0
  for i, item in ipairs(items) do current[i] = 0; total = total + item.weight / divisor end
  for slot = 1, total do
    local pick
    for i, item in ipairs(items) do
      current[i] = current[i] + item.weight / divisor
      if not pick or current[i] > current[pick] then pick = i end
    end
    current[pick] = current[pick] - total
    cycle[slot] = pick
  end
  return cycle
end

-- The next index of a round robin { cycle, position }; the first call starts it
-- at a random point of its cycle.
local function advance(robin)
  local cycle = robin.cycle
  robin.position = robin.position and robin.position % #cycle + 1 or math.random(#cycle)
  return cycle[robin.position]
end

local Mix = {}
Mix.__index = Mix

-- new(classes) validates the classes once (init code).
function M.new(classes)
  check_weighted(classes, "classes", 3)
  for i, class in ipairs(classes) do
    class.name = class.name or ("class" .. i)
    check_weighted(class.tasks, "classes[" .. i .. "].tasks", 3)
    for j, task in ipairs(class.tasks) do
      if type(task.run) ~= "function" then
        error(("mix: classes[%d].tasks[%d] (%s) needs a run function"):format(i, j, tostring(task.name)), 2)
      end
      task.name = task.name or ("task" .. j)
    end
    class.think = class.think or M.constant(0)
  end
  local tasks = {}
  for i, class in ipairs(classes) do tasks[i] = { cycle = weighted_cycle(class.tasks) } end
  return setmetatable({ classes = classes, class_robin = { cycle = weighted_cycle(classes) },
                        task_robins = tasks }, Mix)
end

-- pick() -> class, task: those of the next iteration of this worker (run() calls it).
function Mix:pick()
  local index = advance(self.class_robin)
  local class = self.classes[index]
  return class, class.tasks[advance(self.task_robins[index])]
end

-- run(data) -> context, milliseconds: one iteration: the next task by the
-- weights, then its class's think time. The task gets the context
-- { class, task, vu, iteration, data } (its return value lands in
-- context.result); the milliseconds are the task's own time, think time excluded.
function Mix:run(data)
  local class, task = self:pick()
  local context = { class = class.name, task = task.name, vu = lueng.vu.id_in_scenario or 1,
                    iteration = lueng.vu.iteration or 0, data = data }
  local started = lueng.now()
  context.result = task.run(context)
  local elapsed = lueng.now() - started
  local think = class.think()
  if think > 0 then timescale.sleep(think) end
  return context, elapsed
end

-- shares(n) -> { [class name] = iterations } among n consecutive iterations
-- from the start of the class cycle (for docs and tests; run() leaves it alone).
function Mix:shares(iterations)
  local counts = {}
  for _, class in ipairs(self.classes) do counts[class.name] = 0 end
  local cycle = self.class_robin.cycle
  for n = 1, iterations do
    local class = self.classes[cycle[(n - 1) % #cycle + 1]]
    counts[class.name] = counts[class.name] + 1
  end
  return counts
end

return M
