"""The open model keeps its schedule, every executor uses every worker, and the
generator says when it could not deliver the load asked for. Against hotel-mock
(C++, fast enough for thousands of requests a second) and the Python server.
Rates and lags are bounded loosely enough for a loaded 2-core machine; the speed
figures themselves are in tools/bench (docs/performance.md)."""

import os
import re
import unittest

from hotel_support import MockCase
from support import SANITIZED, SOURCE_DIR, ServerCase, lueng, run_lueng

# Each Lua state (one per worker) makes its own token in init code: the distinct
# tokens printed by iterations are the workers that ran them.
STATE_TOKEN = 'local state = tostring({}):gsub("table: ", "")\n'


def states_seen(stderr):
    return set(re.findall(r"^state (\S+)", stderr, re.M))


class OpenModelTest(MockCase):
    def test_5000_arrivals_a_second_on_one_worker_keep_their_rate(self):
        mock = self.start_mock()
        run = run_lueng("""
            local http = require "lueng.http"
            options = { scenarios = { open = {
              executor = "constant-arrival-rate", rate = 5000, timeUnit = "1s", duration = "4s",
              preAllocatedVUs = 50, maxVUs = 1000 } } }
            function default() http.get(ENV.BASE_URL .. "/health/live") end
        """, ["--threads", "1", "-e", f"BASE_URL=http://127.0.0.1:{mock.port}"])
        self.assertEqual(run.code, 0, run.stderr)
        iterations = run.metric("iterations")["count"]
        dropped = run.result["metrics"].get("dropped_iterations", {"values": {"count": 0}})
        dropped = dropped["values"]["count"]
        # Every arrival of the schedule is accounted for, however fast the machine.
        [scenario] = run.result["scenarios"]
        self.assertEqual(iterations + dropped + scenario["iterations_interrupted"], 20000)
        self.assertEqual(run.result["workers"], 1)
        if not SANITIZED:
            self.assertGreaterEqual(iterations, 19400)
            self.assertLessEqual(dropped, 200)

    def test_1000_arrivals_a_second_start_within_a_few_milliseconds_of_their_time(self):
        # A millisecond timer armed for each arrival lagged by a whole loop pass; a
        # zero-delay one spun and starved the loop (iteration_start_lag of seconds).
        mock = self.start_mock()
        run = run_lueng("""
            local http = require "lueng.http"
            options = { scenarios = { open = {
              executor = "constant-arrival-rate", rate = 1000, timeUnit = "1s", duration = "3s",
              preAllocatedVUs = 20, maxVUs = 200 } } }
            function default() http.get(ENV.BASE_URL .. "/health/live") end
        """, ["--threads", "1", "-e", f"BASE_URL=http://127.0.0.1:{mock.port}"])
        self.assertEqual(run.code, 0, run.stderr)
        self.assertEqual(run.metric("iterations")["count"], 3000)
        lag = run.metric("iteration_start_lag")
        self.assertEqual(lag["count"], 3000)
        if not SANITIZED:
            self.assertLess(lag["med"], 2)
            self.assertLess(lag["p(90)"], 10)

    def test_sleep_keeps_sub_millisecond_pacing(self):
        # 200 sleeps of 0.3 ms: millisecond timers would round each one to 0 or 1 ms.
        run = run_lueng("""
            local lueng = require "lueng"
            local metrics = require "lueng.metrics"
            local slept = metrics.Trend("slept", true)
            options = { iterations = 1 }
            function default()
              for _ = 1, 200 do
                local t = lueng.now()
                lueng.sleep(0.0003)
                slept:add(lueng.now() - t)
              end
            end
        """)
        self.assertEqual(run.code, 0, run.stderr)
        slept = run.metric("slept")
        self.assertGreaterEqual(slept["min"], 0.29)
        if not SANITIZED:
            self.assertLess(slept["med"], 0.9)


class WorkersTest(ServerCase):
    def test_ramping_arrival_rate_runs_on_two_workers_and_its_arrivals_stay_exact(self):
        # 0 -> 100/s over 2 s (100 arrivals), then 100/s for 1 s (100 more).
        run = self.run_script(STATE_TOKEN + """
            local http = require "lueng.http"
            options = { scenarios = { ramp = { executor = "ramping-arrival-rate", startRate = 0,
                                               timeUnit = "1s", preAllocatedVUs = 10, maxVUs = 40,
                                               stages = { { duration = "2s", target = 100 },
                                                          { duration = "1s", target = 100 } } } } }
            function default() print("state " .. state); http.get(ENV.BASE_URL .. "/hello") end
        """, "--threads", "2")
        self.assertEqual(run.code, 0, run.stderr)
        self.assertEqual(run.result["workers"], 2)
        self.assertEqual(run.metric("iterations")["count"], 200)
        self.assertEqual(len(self.server.requests), 200)
        self.assertEqual(len(states_seen(run.stderr)), 2)

    def test_ramping_vus_run_on_two_workers_with_the_stage_targets_exact(self):
        # 4 VUs held for 3 s: every second of the hold has exactly 4 VUs, split 2 + 2.
        run = self.run_script(STATE_TOKEN + """
            local http = require "lueng.http"
            local lueng = require "lueng"
            options = { scenarios = { ramp = { executor = "ramping-vus", startVUs = 4,
                                               stages = { { duration = "3s", target = 4 },
                                                          { duration = "1s", target = 0 } } } } }
            function default()
              print("state " .. state .. " vu " .. lueng.vu.id)
              http.get(ENV.BASE_URL .. "/hello")
              lueng.sleep(0.05)
            end
        """, "--threads", "2")
        self.assertEqual(run.code, 0, run.stderr)
        self.assertEqual(run.result["workers"], 2)
        held = [p["vus"] for p in run.result["time_series"] if 1 <= p["t"] <= 2]
        self.assertEqual(held, [4, 4])
        pairs = set(re.findall(r"^state (\S+) vu (\d+)", run.stderr, re.M))
        by_state = {}
        for state, vu in pairs:
            by_state.setdefault(state, set()).add(vu)
        self.assertEqual(sorted(len(v) for v in by_state.values()), [2, 2])

    def test_two_one_vu_scenarios_take_one_worker_each(self):
        run = self.run_script(STATE_TOKEN + """
            local http = require "lueng.http"
            options = { scenarios = {
              a = { executor = "constant-vus", vus = 1, duration = "1s", exec = "a" },
              b = { executor = "constant-vus", vus = 1, duration = "1s", exec = "b" } } }
            function a() print("state " .. state .. " a"); require("lueng").sleep(0.1) end
            function b() print("state " .. state .. " b"); require("lueng").sleep(0.1) end
        """, "--threads", "2")
        self.assertEqual(run.code, 0, run.stderr)
        a = set(re.findall(r"^state (\S+) a$", run.stderr, re.M))
        b = set(re.findall(r"^state (\S+) b$", run.stderr, re.M))
        self.assertEqual(len(a), 1)
        self.assertEqual(len(b), 1)
        self.assertNotEqual(a, b)

    def test_inspect_counts_workers_for_every_executor_and_says_why_fewer(self):
        load = lueng("inspect", "--threads", "2", os.path.join(SOURCE_DIR, "scripts", "load.lua"))
        self.assertEqual(load.returncode, 0, load.stderr)
        self.assertIn("2 worker threads\n", load.stdout)
        one = lueng("inspect", "--threads", "2", "-u", "1", "-d", "1s",
                    os.path.join(SOURCE_DIR, "scripts", "load.lua"))
        self.assertEqual(one.returncode, 0, one.stderr)
        self.assertIn("1 worker thread (2 threads available, 1 used: the test has 1 VU in all)",
                      one.stdout)


class GeneratorFindingTest(ServerCase):
    def test_iterations_dropped_for_want_of_vus_are_a_finding(self):
        run = self.run_script("""
            local http = require "lueng.http"
            options = { scenarios = { open = {
              executor = "constant-arrival-rate", rate = 50, timeUnit = "1s", duration = "2s",
              preAllocatedVUs = 1, maxVUs = 1 } } }
            function default() http.get(ENV.BASE_URL .. "/slow?ms=200") end
        """)
        self.assertEqual(run.code, 0, run.stderr)
        generator = run.result["findings"]["generator"]
        self.assertIsNotNone(generator)
        dropped = int(run.metric("dropped_iterations")["count"])
        self.assertGreater(dropped, 50)
        self.assertEqual(generator["dropped_iterations"], dropped)
        self.assertEqual(generator["dropped"]["first"], 0)
        self.assertIn(f"generator: could not keep up: {dropped} iterations dropped", run.stdout)
        self.assertEqual(sum(p["dropped_iterations"] for p in run.result["time_series"]), dropped)

    def test_a_worker_busy_all_the_time_is_a_finding(self):
        # An iteration that never waits keeps its worker's loop busy every second.
        run = self.run_script("""
            options = { vus = 1, duration = "3s" }
            function default() local x = 0; for i = 1, 100000 do x = x + i end end
        """, "--threads", "1")
        self.assertEqual(run.code, 0, run.stderr)
        generator = run.result["findings"]["generator"]
        self.assertIsNotNone(generator)
        self.assertGreaterEqual(generator["saturated"]["seconds"], 2)
        self.assertGreater(generator["worst_busy"], 0.95)
        self.assertIn("event loop busy", run.stdout)

    def test_a_generator_with_room_to_spare_has_no_such_finding(self):
        run = self.run_script("""
            local http = require "lueng.http"
            local lueng = require "lueng"
            options = { vus = 2, duration = "2s" }
            function default() http.get(ENV.BASE_URL .. "/hello"); lueng.sleep(0.1) end
        """)
        self.assertEqual(run.code, 0, run.stderr)
        if not SANITIZED:
            self.assertIsNone(run.result["findings"]["generator"])
            self.assertTrue(all(p["busy"] < 0.5 for p in run.result["time_series"]))


if __name__ == "__main__":
    unittest.main()
