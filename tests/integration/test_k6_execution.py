"""lueng.vu, lueng.scenario, lueng.instance and lueng.test as k6's k6/execution
(exec.vu, exec.scenario, exec.instance, exec.test): the fields a script reads,
test.abort() (exit 108, teardown still runs) and test.fail() (the test goes on,
exit 110), and the setupTimeout/teardownTimeout options (exit 100/101)."""

import json
import time
import unittest

from support import ServerCase, run_lueng

CONTEXT = """
local lueng = require "lueng"
local json = require "lueng.json"
options = { scenarios = { each = { executor = "per-vu-iterations", vus = 2, iterations = 2,
                                   tags = { team = "rooms" } } } }
function default()
  local vu, s, i = lueng.vu, lueng.scenario, lueng.instance
  print("CTX " .. json.encode({
    id_in_instance = vu.id_in_instance, idInTest = vu.idInTest,
    iteration_in_instance = vu.iteration_in_instance,
    iterationInScenario = vu.iterationInScenario,
    name = s.name, executor = s.executor, progress = s.progress, start_time = s.startTime,
    iteration_in_test = s.iterationInTest,
    completed = i.iterations_completed, interrupted = i.iterationsInterrupted,
    vus_active = i.vusActive, vus_initialized = i.vus_initialized,
    duration = i.current_test_run_duration,
    options_vus = lueng.test.options.scenarios.each.vus,
  }))
  lueng.sleep(0.05)
end
"""


def lines_with(prefix, text):
    return [json.loads(line.split(prefix, 1)[1]) for line in text.splitlines() if prefix in line]


class ExecutionContextTest(unittest.TestCase):
    def test_fields_as_k6_names_them(self):
        run = run_lueng(CONTEXT)
        self.assertEqual(run.code, 0, run.stderr)
        seen = lines_with("CTX ", run.stderr)
        self.assertEqual(len(seen), 4)
        self.assertEqual(sorted(c["iteration_in_test"] for c in seen), [0, 1, 2, 3])
        for c in seen:
            self.assertEqual(c["name"], "each")
            self.assertEqual(c["executor"], "per-vu-iterations")
            self.assertIn(c["id_in_instance"], (1, 2))
            self.assertEqual(c["id_in_instance"], c["idInTest"])
            self.assertEqual(c["iteration_in_instance"], c["iterationInScenario"])
            self.assertIn(c["iteration_in_instance"], (0, 1))
            self.assertGreaterEqual(c["progress"], 0)
            self.assertLessEqual(c["progress"], 1)
            self.assertLess(abs(c["start_time"] - time.time() * 1000), 120_000)
            self.assertGreaterEqual(c["vus_active"], 1)
            self.assertEqual(c["vus_initialized"], 2)
            self.assertGreaterEqual(c["duration"], 0)
            self.assertEqual(c["interrupted"], 0)
            self.assertEqual(c["options_vus"], 2)
        # Completed iterations grow: the last iteration sees at least two done.
        self.assertGreaterEqual(max(c["completed"] for c in seen), 2)

    def test_context_is_nil_in_init_code_and_read_only(self):
        run = run_lueng("""
            local lueng = require "lueng"
            print("INIT " .. tostring(lueng.vu.id) .. " " .. tostring(lueng.instance.vusActive))
            function default()
              local ok, err = pcall(function() lueng.instance.vus_active = 3 end)
              print("WRITE " .. tostring(ok) .. " " .. tostring(err))
            end
        """)
        self.assertEqual(run.code, 0, run.stderr)
        self.assertIn("INIT nil nil", run.stderr)
        self.assertIn("WRITE false", run.stderr)
        self.assertIn("lueng.instance is read-only", run.stderr)


# k6's internal/js/modules/k6/execution/execution_test.go, the cases of exec.vu.tags,
# exec.vu.metrics.tags and exec.vu.metrics.metadata (lueng.vu.tags,
# lueng.vu.metrics.tags and .metadata), each run in the VU and printed as
# "CASE name: outcome".
VU_TAGS_CASES = """
local lueng = require "lueng"
local json = require "lueng.json"
options = { scenarios = { s = { executor = "shared-iterations", vus = 1, iterations = 1,
                                tags = { ["tag-vu"] = "mytag" } } } }
local props = {
  tags = { function() return lueng.vu.tags end, "tag" },
  ["metrics.tags"] = { function() return lueng.vu.metrics.tags end, "tag" },
  ["metrics.metadata"] = { function() return lueng.vu.metrics.metadata end, "metadata" },
}
local function case(name, outcome) print("CASE " .. name .. ": " .. tostring(outcome)) end
function default()
  -- k6's test gives the VU state tag-vu=mytag (here the scenario's tag) and
  -- metadata-vu=mymetadata (set here: metadata has no scenario-wide form).
  lueng.vu.metrics.metadata["metadata-vu"] = "mymetadata"
  for prop, entry in pairs(props) do
    local get, kind = entry[1], entry[2]
    local tags = get()
    -- TestVUTagsMetadatasGet
    case(prop .. " get", tags[kind .. "-vu"])
    case(prop .. " get missing", tags["not-existing-" .. kind])
    -- TestVUTagsMetadatasJSONEncoding
    tags["custom-" .. kind] = "my" .. kind .. "1"
    local all = json.decode(json.encode(tags))
    case(prop .. " json", all["custom-" .. kind] .. "," .. all[kind .. "-vu"])
    local called = tags()  -- pairs() ignores __pairs in LuaJIT: a table of them all
    case(prop .. " call", called["custom-" .. kind] .. "," .. tostring(called.scenario))
    tags["custom-" .. kind] = nil
    -- TestVUTagMetadatasSetSuccessAcceptedTypes
    for kind, value in pairs({ string = "tag1", bool = true, int = 101, float = 3.14 }) do
      tags["mytag"] = value
      case(prop .. " set " .. kind, tags["mytag"])
    end
    -- TestVUTagsMetadataErrorOutOnInvalidValues (null and undefined are Lua's nil)
    for kind, value in pairs({ ["[]"] = {}, ["{}"] = {}, ["[1, 3, 5]"] = { 1, 3, 5 },
                               ["{f1=value1,f2=4}"] = { f1 = "value1", f2 = 4 },
                               ["{foo=bar}"] = { foo = "bar" }, ["function"] = print }) do
      local ok, err = pcall(function() tags["custom"] = value end)
      case(prop .. " invalid " .. kind, ok and "accepted" or err)
    end
    tags["custom"] = "x"
    tags["custom"] = nil
    case(prop .. " nil removes", tags["custom"])
  end
  -- TestVUTagsMetadatasSuccessOverwriteSystemTag
  lueng.vu.tags["vu"] = "vu101"
  case("overwrite vu", lueng.vu.tags["vu"])
  lueng.vu.tags["scenario"] = "mine"
  case("overwrite scenario", lueng.vu.tags.scenario)
end
"""

# What the tags do: on every sample a VU records after it sets them, across its
# iterations; a request's own tags win; another VU's samples never carry them.
VU_TAGS_SAMPLES = """
local lueng = require "lueng"
local metrics = require "lueng.metrics"
local custom = metrics.Counter("phased")
options = { scenarios = { s = { executor = "per-vu-iterations", vus = 2, iterations = 3 } } }
function default()
  if lueng.vu.id == 1 and lueng.vu.iteration == 1 then lueng.vu.tags.phase = "hot" end
  lueng.check(1, { ["one"] = function(v) return v == 1 end })
  lueng.check(1, { ["tagged"] = function(v) return v == 1 end }, { phase = "check-wins" })
  custom:add(1)
  lueng.group("g", function() end)
end
"""


class VuTagsTest(unittest.TestCase):
    def test_k6s_cases(self):
        run = run_lueng(VU_TAGS_CASES)
        self.assertEqual(run.code, 0, run.stderr)
        seen = dict(line.split("CASE ", 1)[1].split(": ", 1)
                    for line in run.stderr.splitlines() if "CASE " in line)
        for prop, kind in (("tags", "tag"), ("metrics.tags", "tag"),
                           ("metrics.metadata", "metadata")):
            self.assertEqual(seen[f"{prop} get"], f"my{kind}")
            self.assertEqual(seen[f"{prop} get missing"], "nil")
            self.assertEqual(seen[f"{prop} json"], f"my{kind}1,my{kind}")
            # Tags include the scenario's; metadata is only what the VU set.
            self.assertEqual(seen[f"{prop} call"], f"my{kind}1," + ("s" if kind == "tag" else "nil"))
            for kind, text in [("string", "tag1"), ("bool", "true"), ("int", "101"),
                               ("float", "3.14")]:
                self.assertEqual(seen[f"{prop} set {kind}"], text, kind)
            for kind in ("[]", "{}", "[1, 3, 5]", "{f1=value1,f2=4}", "{foo=bar}", "function"):
                self.assertIn(f"invalid value for metric {'metadata' if 'metadata' in prop else 'tag'} "
                              "'custom'", seen[f"{prop} invalid {kind}"])
                self.assertIn("script.lua:", seen[f"{prop} invalid {kind}"])  # the script's line
            self.assertEqual(seen[f"{prop} nil removes"], "nil")
        self.assertEqual(seen["overwrite vu"], "vu101")
        self.assertEqual(seen["overwrite scenario"], "mine")

    def test_samples_carry_them(self):
        run = run_lueng(VU_TAGS_SAMPLES)
        self.assertEqual(run.code, 0, run.stderr)
        metrics = run.result["metrics"]

        def phases(metric, **selector):
            counts = {}
            for s in metrics[metric]["series"]:
                if all(s["tags"].get(k) == v for k, v in selector.items()):
                    phase = s["tags"].get("phase")
                    counts[phase] = counts.get(phase, 0) + s["values"].get(
                        "count", s["values"].get("passes", 0) + s["values"].get("fails", 0))
            return counts

        # VU 1 set it in its second iteration: that iteration and the third carry it.
        self.assertEqual(phases("iterations"), {None: 4, "hot": 2})
        self.assertEqual(phases("phased"), {None: 4, "hot": 2})
        self.assertEqual(phases("checks", check="one"), {None: 4, "hot": 2})
        self.assertEqual(phases("checks", check="tagged"), {"check-wins": 6})
        self.assertEqual(phases("group_duration", group="::g"), {None: 4, "hot": 2})

    def test_metadata_reaches_the_streams_sample_by_sample(self):
        # A new trace id every iteration, removed every fifth: each request's
        # line carries its own iteration's, however many sets come and go.
        run = run_lueng("""
            local http = require "lueng.http"
            local lueng = require "lueng"
            options = { scenarios = { s = { executor = "per-vu-iterations", vus = 3, iterations = 200 } } }
            function default()
              local id = lueng.vu.id .. "-" .. lueng.vu.iteration
              if lueng.vu.iteration % 5 == 0 then
                lueng.vu.metrics.metadata.trace_id = nil
              else
                lueng.vu.metrics.metadata.trace_id = id
              end
              http.get("http://127.0.0.1:9/?trace=" .. id, { timeout = "1s" })
            end
        """, ["--out", "json=-"])
        self.assertEqual(run.code, 2, run.stderr)  # not one response
        points = [json.loads(line) for line in run.stdout.splitlines()
                  if '"metric":"http_reqs"' in line and '"Point"' in line]
        self.assertEqual(len(points), 600)
        for point in points:
            trace = point["data"]["tags"]["name"].split("trace=")[1]
            iteration = int(trace.split("-")[1])
            expected = None if iteration % 5 == 0 else {"trace_id": trace}
            self.assertEqual(point["data"].get("metadata"), expected, trace)
        # Metadata is no tag: no series per trace id in the result.
        self.assertNotIn("trace_id", json.dumps(run.result["metrics"]["http_reqs"]["series"]))

    def test_set_in_init_code_is_an_error(self):
        run = run_lueng("""
            local lueng = require "lueng"
            lueng.vu.tags.phase = "init"
            function default() end
        """)
        self.assertNotEqual(run.code, 0)
        self.assertIn("not in init code", run.stderr)
        self.assertIn("script.lua:3", run.stderr)


class K6GlobalsTest(unittest.TestCase):
    def test_vu_iter_and_env_as_k6(self):
        run = run_lueng("""
            print("INIT VU " .. __VU .. " ITER " .. __ITER)
            options = { scenarios = { s = { executor = "per-vu-iterations", vus = 2, iterations = 2,
                                            env = { MINE = "scenario" } } } }
            local lueng = require "lueng"
            function setup() print("SETUP VU " .. __VU .. " ID " .. lueng.vu.id) end
            function default()
              print(("RUN VU %d ITER %d %s %s ID %d"):format(__VU, __ITER, __ENV.FROM_CLI, __ENV.MINE,
                                                          lueng.vu.id))
            end
            function teardown() print("TEARDOWN VU " .. __VU .. " ID " .. lueng.vu.idInTest) end
        """, ["-e", "FROM_CLI=cli"])
        self.assertEqual(run.code, 0, run.stderr)
        self.assertIn("INIT VU 0 ITER 0", run.stderr)
        self.assertIn("SETUP VU 0 ID 0", run.stderr)
        self.assertIn("TEARDOWN VU 0 ID 0", run.stderr)
        for vu in (1, 2):
            for iteration in (0, 1):
                self.assertIn(f"RUN VU {vu} ITER {iteration} cli scenario ID {vu}", run.stderr)


class AbortStartsNoIterationTest(ServerCase):
    def test_no_request_is_sent_after_abort(self):
        # The supervisor stops the test on its next tick; until then the VU must
        # not start another iteration (its request would reach the server).
        run = self.run_script("""
            local http = require "lueng.http"
            local lueng = require "lueng"
            options = { vus = 1, iterations = 5 }
            function default()
              http.get(ENV.BASE_URL .. "/hello?i=" .. lueng.vu.iteration)
              if lueng.vu.iteration == 2 then lueng.test.abort("enough") end
            end
        """)
        self.assertEqual(run.code, 108, run.stderr)
        self.assertEqual([r.target for r in self.server.requests],
                         ["/hello?i=0", "/hello?i=1", "/hello?i=2"])
        [scenario] = run.result["scenarios"]
        self.assertEqual((scenario["iterations_completed"], scenario["iterations_interrupted"]),
                         (2, 1))


class TestAbortAndFailTest(unittest.TestCase):
    def test_abort_stops_the_test_with_108_and_teardown_runs(self):
        started = time.monotonic()
        run = run_lueng("""
            local lueng = require "lueng"
            options = { scenarios = { s = { executor = "constant-vus", vus = 2, duration = "30s" } } }
            function default()
              if lueng.scenario.iteration_in_test == 5 then lueng.test.abort("enough seen") end
              lueng.sleep(0.02)
            end
            function teardown() print("TEARDOWN RAN") end
        """)
        self.assertEqual(run.code, 108, run.stderr)
        self.assertLess(time.monotonic() - started, 15)
        self.assertIn("lueng.test.abort(): enough seen", run.stderr)
        self.assertIn("TEARDOWN RAN", run.stderr)
        self.assertEqual(run.result["exit_code"], 108)
        self.assertIn("enough seen", run.result["slos"]["verdict"])

    def test_abort_in_setup_runs_no_load(self):
        run = run_lueng("""
            local lueng = require "lueng"
            function setup() lueng.test.abort() end
            function default() print("LOAD RAN") end
        """)
        self.assertEqual(run.code, 108, run.stderr)
        self.assertNotIn("LOAD RAN", run.stderr)

    def test_fail_lets_the_test_run_then_exits_110(self):
        run = run_lueng("""
            local lueng = require "lueng"
            options = { scenarios = { s = { executor = "per-vu-iterations", vus = 1, iterations = 3 } } }
            function default()
              if lueng.vu.iteration == 0 then lueng.test.fail("data was wrong") end
              print("ITERATION " .. lueng.vu.iteration)
            end
        """)
        self.assertEqual(run.code, 110, run.stderr)
        for i in range(3):
            self.assertIn(f"ITERATION {i}", run.stderr)
        self.assertIn("lueng.test.fail(): data was wrong", run.stderr)
        self.assertEqual(run.result["exit_code"], 110)


class PhaseTimeoutTest(unittest.TestCase):
    def test_setup_past_setup_timeout_exits_100(self):
        started = time.monotonic()
        run = run_lueng("""
            local lueng = require "lueng"
            options = { setupTimeout = "500ms" }
            function setup() lueng.sleep(5) end
            function default() print("LOAD RAN") end
        """)
        self.assertEqual(run.code, 100, run.stderr)
        self.assertLess(time.monotonic() - started, 4.5)
        self.assertIn("setup() did not finish within 500ms (options.setupTimeout)", run.stderr)
        self.assertNotIn("LOAD RAN", run.stderr)

    def test_teardown_past_teardown_timeout_exits_101(self):
        run = run_lueng("""
            local lueng = require "lueng"
            options = { teardown_timeout = 300 }
            function default() end
            function teardown() lueng.sleep(5) end
        """)
        self.assertEqual(run.code, 101, run.stderr)
        self.assertIn("teardown() did not finish within 300ms (options.teardownTimeout)", run.stderr)

    def test_no_setup_and_no_teardown_skip_them(self):
        run = run_lueng("""
            options = { noSetup = true, no_teardown = true }
            function setup() print("SETUP RAN") return { x = 1 } end
            function default(data) print("DATA " .. tostring(data)) end
            function teardown() print("TEARDOWN RAN") end
        """)
        self.assertEqual(run.code, 0, run.stderr)
        self.assertNotIn("SETUP RAN", run.stderr)
        self.assertNotIn("TEARDOWN RAN", run.stderr)
        self.assertIn("DATA nil", run.stderr)
        self.assertNotIn("noSetup", run.stderr)  # no longer an unknown option


if __name__ == "__main__":
    unittest.main()
