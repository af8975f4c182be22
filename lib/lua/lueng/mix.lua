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
-- Each VU belongs to one class for the whole test, chosen from its id in the
-- scenario so that the VUs that exist at any moment follow the weights as
-- closely as whole VUs can, and every class has a VU as soon as there are as
-- many VUs as classes (with 5 VUs and weights 70/20/10: 3, 1 and 1). Each
-- iteration runs one task of the VU's class, then sleeps the think time (scaled
-- by TIME_SCALE). Tasks follow their weights exactly over every cycle of
-- sum(weights) iterations, VUs starting at different points of the cycle, so
-- even short time-scaled runs see every task.
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

-- The class index of each of the first `count` VUs: the first VUs take one class
-- each in order of weight, then each next VU joins the class furthest below its
-- share.
local function class_order(classes, count)
  local order, members, total = {}, {}, 0
  for i, class in ipairs(classes) do members[i] = 0; total = total + class.weight end
  local by_weight = {}
  for i = 1, #classes do by_weight[i] = i end
  table.sort(by_weight, function(a, b)
    if classes[a].weight ~= classes[b].weight then return classes[a].weight > classes[b].weight end
    return a < b
  end)
  for n = 1, count do
    local pick
    if n <= #classes then
      pick = by_weight[n]
    else
      local best
      for _, i in ipairs(by_weight) do
        local deficit = classes[i].weight * n / total - members[i]
        if not best or deficit > best + 1e-9 then best, pick = deficit, i end
      end
    end
    members[pick] = members[pick] + 1
    order[n] = pick
  end
  return order
end

-- A smooth weighted round robin over the tasks: a cycle of sum(weights) slots
-- where each task appears `weight` times, spread out.
local function task_cycle(tasks)
  local cycle, current, total = {}, {}, 0
  for i, task in ipairs(tasks) do current[i] = 0; total = total + task.weight end
  for slot = 1, total do
    local pick
    for i, task in ipairs(tasks) do
      current[i] = current[i] + task.weight
      if not pick or current[i] > current[pick] then pick = i end
    end
    current[pick] = current[pick] - total
    cycle[slot] = pick
  end
  return cycle
end

local Mix = {}
Mix.__index = Mix

-- new(classes [, { max_vus = 10000 }]) validates the classes once (init code).
function M.new(classes, options)
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
    class.cycle = task_cycle(class.tasks)
    class.think = class.think or M.constant(0)
  end
  local max_vus = options and options.max_vus or 10000
  return setmetatable({ classes = classes, order = class_order(classes, max_vus) }, Mix)
end

-- class_of(vu_number) -> the class a VU with that id in its scenario belongs to.
function Mix:class_of(vu_number)
  local order = self.order
  local index = order[(vu_number - 1) % #order + 1]
  return self.classes[index]
end

-- task_of(class, vu_number, iteration) -> the task of that iteration.
function Mix:task_of(class, vu_number, iteration)
  local cycle = class.cycle
  return class.tasks[cycle[(iteration + vu_number * 7) % #cycle + 1]]
end

-- run(data) -> context, milliseconds: one iteration of the running VU: its
-- class's task, then the think time. The task gets the context
-- { class, task, vu, iteration, data } (its return value lands in
-- context.result); the milliseconds are the task's own time, think time excluded.
function Mix:run(data)
  local vu_number = lueng.vu.id_in_scenario or 1
  local iteration = lueng.vu.iteration or 0
  local class = self:class_of(vu_number)
  local task = self:task_of(class, vu_number, iteration)
  local context = { class = class.name, task = task.name, vu = vu_number, iteration = iteration, data = data }
  local started = lueng.now()
  context.result = task.run(context)
  local elapsed = lueng.now() - started
  local think = class.think()
  if think > 0 then timescale.sleep(think) end
  return context, elapsed
end

-- shares(vus) -> { [class name] = VU count } for the first `vus` VUs (for docs and tests).
function Mix:shares(vus)
  local counts = {}
  for _, class in ipairs(self.classes) do counts[class.name] = 0 end
  for n = 1, vus do
    local class = self:class_of(n)
    counts[class.name] = counts[class.name] + 1
  end
  return counts
end

return M
