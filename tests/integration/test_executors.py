"""Executors and scenarios against a real loopback server: iteration counts,
arrival rates, ramps, dropped iterations, startTime windows, CLI shortcuts."""

import time
import re
import unittest

from support import ServerCase, check_sanitizers, lueng, run_lueng


class ExecutorTest(ServerCase):
    def run_script(self, text, *args):
        return super().run_script(text, *args, timeout=120)

    def test_per_vu_and_shared_iterations_are_exact_across_threads(self):
        run = self.run_script("""
            local http = require "lueng.http"
            options = { scenarios = {
              each = { executor = "per-vu-iterations", vus = 5, iterations = 7 },
              pool = { executor = "shared-iterations", vus = 4, iterations = 33, exec = "pooled" },
            } }
            function default() http.get(ENV.BASE_URL .. "/hello?s=each") end
            function pooled() http.get(ENV.BASE_URL .. "/hello?s=pool") end
        """, "--threads", "2")
        self.assertEqual(run.code, 0, run.stderr)
        counts = {}
        for r in self.server.requests:
            counts[r.query["s"]] = counts.get(r.query["s"], 0) + 1
        self.assertEqual(counts, {"each": 35, "pool": 33})
        by_scenario = {s["tags"]["scenario"]: s["values"]["count"]
                       for s in run.result["metrics"]["iterations"]["series"]}
        self.assertEqual(by_scenario, {"each": 35, "pool": 33})

    def test_constant_arrival_rate_starts_1000_iterations_in_5s_within_2_percent(self):
        run = self.run_script("""
            local http = require "lueng.http"
            options = { scenarios = { open = { executor = "constant-arrival-rate", rate = 200, timeUnit = "1s",
                                               duration = "5s", preAllocatedVUs = 10, maxVUs = 50 } } }
            function default() http.get(ENV.BASE_URL .. "/hello") end
        """)
        self.assertEqual(run.code, 0, run.stderr)
        iterations = run.metric("iterations")["count"]
        self.assertGreaterEqual(iterations, 980)
        self.assertLessEqual(iterations, 1020)
        self.assertIn("iteration_start_lag", run.result["metrics"])
        self.assertEqual(run.result["metrics"]["iteration_start_lag"]["values"]["count"], iterations)

    def test_ramping_arrival_rate_follows_the_integral_of_the_rate(self):
        # 0 -> 100/s over 2s (100 iterations), then 100/s for 1s (100 more).
        run = self.run_script("""
            local http = require "lueng.http"
            options = { scenarios = { ramp = { executor = "ramping-arrival-rate", startRate = 0, timeUnit = "1s",
                                               preAllocatedVUs = 10, maxVUs = 40,
                                               stages = { { duration = "2s", target = 100 },
                                                          { duration = "1s", target = 100 } } } } }
            function default() http.get(ENV.BASE_URL .. "/hello") end
        """, "--threads", "2")
        self.assertEqual(run.code, 0, run.stderr)
        self.assertAlmostEqual(run.metric("iterations")["count"], 200, delta=4)

    def test_slow_server_and_small_max_vus_drop_iterations(self):
        run = self.run_script("""
            local http = require "lueng.http"
            options = { scenarios = { open = { executor = "constant-arrival-rate", rate = 50, timeUnit = "1s",
                                               duration = "2s", preAllocatedVUs = 1, maxVUs = 2 } } }
            function default() http.get(ENV.BASE_URL .. "/slow?ms=300") end
        """, "--threads", "1")
        self.assertEqual(run.code, 0, run.stderr)
        dropped = run.metric("dropped_iterations")["count"]
        started = run.metric("iterations")["count"]
        self.assertGreater(dropped, 50)
        self.assertAlmostEqual(dropped + started, 100, delta=3)
        # vus_max follows the VUs added as the load needed them, not only its end.
        vus_max = run.result["metrics"]["vus_max"]["values"]
        self.assertEqual((vus_max["min"], vus_max["value"], vus_max["max"]), (1, 2, 2))
        self.assertEqual([p["vus_max"] for p in run.result["time_series"]][0], 1)

    def test_ramping_vus_follow_the_stages(self):
        run = self.run_script("""
            local lueng = require "lueng"
            options = { scenarios = { ramp = { executor = "ramping-vus", startVUs = 0, gracefulRampDown = "1s",
              stages = { { duration = "3s", target = 6 }, { duration = "3s", target = 6 }, { duration = "2s", target = 2 } } } } }
            function default() lueng.sleep(0.1) end
        """)
        self.assertEqual(run.code, 0, run.stderr)
        series = {p["t"]: p["vus"] for p in run.result["time_series"]}
        # The VU count sampled each second tracks the linear target (2 VUs per second up to 6).
        for second, target in ((1, 2), (2, 4), (4, 6), (5, 6)):
            self.assertAlmostEqual(series[second], target, delta=1, msg=series)
        self.assertAlmostEqual(series[7], 3, delta=1, msg=series)
        self.assertEqual(run.result["metrics"]["vus_max"]["values"]["value"], 6)

    def test_graceful_ramp_down_interrupts_long_iterations(self):
        run = self.run_script("""
            local lueng = require "lueng"
            options = { scenarios = { ramp = { executor = "ramping-vus", startVUs = 4, gracefulRampDown = "500ms",
              gracefulStop = "0s", stages = { { duration = "1s", target = 4 }, { duration = "1s", target = 0 } } } } }
            function default() lueng.sleep(5) end
        """)
        self.assertEqual(run.code, 0, run.stderr)
        self.assertLess(run.result["duration_seconds"], 4)
        self.assertNotIn("iterations", run.result["metrics"])  # none of them could finish
        # ... and the cut-off ones are counted, not lost.
        [scenario] = run.result["scenarios"]
        self.assertEqual((scenario["iterations_completed"], scenario["iterations_interrupted"]), (0, 4))
        self.assertIn(", 0 complete and 4 interrupted iterations", run.stdout)

    def test_scenarios_with_start_times_run_in_their_windows_with_their_tags_and_env(self):
        started = time.time()
        run = self.run_script("""
            local http = require "lueng.http"
            local lueng = require "lueng"
            options = { scenarios = {
              early = { executor = "constant-vus", vus = 1, duration = "1s", tags = { phase = "early" },
                        env = { WHO = "first" } },
              late = { executor = "constant-vus", vus = 1, duration = "1s", startTime = "2s", exec = "later",
                       tags = { phase = "late" }, env = { WHO = "second" } },
            } }
            local function call(path)
              http.get(ENV.BASE_URL .. "/hello?who=" .. ENV.WHO .. "&s=" .. lueng.vu.scenario)
              lueng.sleep(0.1)
            end
            function default() call() end
            function later() call() end
        """)
        self.assertEqual(run.code, 0, run.stderr)
        self.assertTrue(all(r.query["who"] == {"early": "first", "late": "second"}[r.query["s"]]
                            for r in self.server.requests))
        series = run.result["metrics"]["http_reqs"]["series"]
        phases = {s["tags"]["scenario"]: s["tags"]["phase"] for s in series}
        self.assertEqual(phases, {"early": "early", "late": "late"})
        points = run.result["time_series"]
        self.assertTrue(all(p["http_reqs"] == 0 for p in points if 1 < p["t"] < 2))
        active = [p["t"] for p in points if p["http_reqs"] > 0]
        self.assertEqual(min(active), 0)
        self.assertGreaterEqual(max(active), 2)
        self.assertLess(time.time() - started, 20)

    def test_vus_read_when_their_scenario_began_after_setup_and_start_time(self):
        # Init code that takes 600 ms delays every worker's start; the `later`
        # scenario must still begin no earlier than 1 s after the test start.
        run = self.run_script("""
            local http = require "lueng.http"
            local lueng = require "lueng"
            assert(lueng.vu.scenario_start == nil and lueng.vu.test_elapsed == nil, "no VU in init code")
            local busy_until = lueng.now() + 600
            while lueng.now() < busy_until do end
            options = { scenarios = {
              first = { executor = "per-vu-iterations", vus = 2, iterations = 2 },
              later = { executor = "per-vu-iterations", vus = 2, iterations = 2, startTime = "1s" },
            } }
            function setup() return { setup_now = lueng.now() } end
            function default(data)
              local vu = lueng.vu
              local facts = { vu.scenario_start, vu.scenario_start_time, vu.scenarioStartTime,
                              vu.scenario_elapsed, vu.test_elapsed, lueng.now(), data.setup_now,
                              vu.scenarioElapsed, vu.currentTestRunDuration }
              for i, value in ipairs(facts) do facts[i] = ("%.3f"):format(value) end
              http.get(ENV.BASE_URL .. "/hello?s=" .. vu.scenario .. "&f=" .. table.concat(facts, ","))
            end
        """, "--threads", "2")
        self.assertEqual(run.code, 0, run.stderr)
        test_start, test_end = run.result["start_unix_ms"], run.result["end_unix_ms"]
        duration_ms = run.result["duration_seconds"] * 1000
        offsets = {"first": 0, "later": 1000}
        slack = 2  # whole-millisecond timers and start_unix_ms
        seen = {}
        for request in self.server.requests:
            scenario = request.query["s"]
            (start, start_time, k6_start, scenario_elapsed, test_elapsed, now, setup_now,
             camel_elapsed, k6_duration) = map(float, request.query["f"].split(","))
            seen[scenario] = seen.get(scenario, 0) + 1
            self.assertEqual(start, start_time)
            self.assertEqual(start, k6_start)
            self.assertLessEqual(setup_now, test_start + 1, "setup() comes before the test start")
            self.assertGreaterEqual(start, test_start + offsets[scenario] - slack, scenario)
            self.assertLessEqual(start, now)
            self.assertLessEqual(now, test_end + 1)
            # One clock: the scenario's start plus its elapsed time is the iteration's now.
            self.assertGreaterEqual(now + 1, start + scenario_elapsed)
            self.assertGreaterEqual(test_elapsed - scenario_elapsed, offsets[scenario] - slack, scenario)
            self.assertLessEqual(test_elapsed, duration_ms)
            self.assertGreaterEqual(camel_elapsed, scenario_elapsed)
            self.assertGreaterEqual(k6_duration, test_elapsed)
        self.assertEqual(seen, {"first": 4, "later": 4})

    def test_stage_flags_replace_the_scripts_scenarios(self):
        run = self.run_script("""
            local lueng = require "lueng"
            options = { scenarios = { s = { executor = "constant-vus", vus = 9, duration = "1m" } } }
            function default() lueng.sleep(0.1) end
        """, "-s", "1s:3", "-s", "1s:0")
        self.assertEqual(run.code, 0, run.stderr)
        self.assertEqual(run.result["scenarios"][0]["executor"], "ramping-vus")
        self.assertEqual(run.result["metrics"]["vus_max"]["values"]["value"], 3)
        self.assertLess(run.result["duration_seconds"], 5)

    def test_mixing_stages_with_duration_or_bad_stage_exits_104(self):
        script = "function default() end"
        for args, expected in ((["-s", "10s:5", "-d", "5s"], "--stage cannot be combined"),
                               (["-s", "10s"], "invalid --stage '10s'"),
                               (["-s", "abc:5"], "invalid --stage 'abc:5'")):
            with self.subTest(args=args):
                run = run_lueng(script, args)
                self.assertEqual(run.code, 104, run.stderr)
                self.assertIn(expected, run.stderr)

    def test_inspect_prints_the_resolved_scenarios(self):
        import os, tempfile
        path = os.path.join(tempfile.mkdtemp(), "plan.lua")
        with open(path, "w") as f:
            f.write("""
                options = { scenarios = {
                  rush = { executor = "constant-arrival-rate", rate = 30, timeUnit = "1m", duration = "2m",
                           preAllocatedVUs = 2, maxVUs = 8, startTime = "30s", gracefulStop = "10s" },
                } }
                function default() end
            """)
        out = lueng("inspect", path)
        self.assertEqual(out.returncode, 0, out.stderr)
        self.assertIn("1 scenario, 8 max VUs, 2m40s max duration", out.stdout)
        self.assertIn("30 iterations per 1m0s for 2m0s (preAllocatedVUs: 2, maxVUs: 8)", out.stdout)
        self.assertIn("ends by 2m40s", out.stdout)
        out = lueng("inspect", "-u", "5", "-d", "1m", path)
        self.assertIn("5 looping VUs for 1m0s", out.stdout)

    def test_progress_is_printed_every_10_seconds_without_a_terminal(self):
        import os, subprocess, tempfile
        path = os.path.join(tempfile.mkdtemp(), "p.lua")
        with open(path, "w") as f:
            f.write("local lueng = require 'lueng'\nfunction default() lueng.sleep(0.2) end\n")
        out = subprocess.run([os.environ.get("LUENG_BIN", "lueng"), "run", "-u", "2", "-d", "11s", path],
                             capture_output=True, text=True, timeout=60)
        check_sanitizers(out.stderr)
        self.assertEqual(out.returncode, 0, out.stderr)
        self.assertIn("running (10s)", out.stderr)
        self.assertRegex(out.stderr, r"default\s+\[\s*\d+%\]\s+\d+/2\s+VUs")

    def test_progress_on_a_terminal_redraws_one_line_per_scenario_every_second(self):
        import os, pty, subprocess, tempfile
        path = os.path.join(tempfile.mkdtemp(), "p.lua")
        with open(path, "w") as f:
            f.write("local lueng = require 'lueng'\n"
                    "options = { scenarios = {\n"
                    "  a = { executor = 'constant-vus', vus = 2, duration = '3s' },\n"
                    "  b = { executor = 'constant-vus', vus = 1, duration = '3s' } } }\n"
                    "function default() lueng.sleep(0.2) end\n")
        leader, follower = pty.openpty()
        process = subprocess.Popen([os.environ.get("LUENG_BIN", "lueng"), "run", path],
                                   stdout=subprocess.DEVNULL, stderr=follower)
        os.close(follower)
        chunks = []
        while True:
            try:
                data = os.read(leader, 4096)
            except OSError:  # the terminal closes with the process
                break
            if not data:
                break
            chunks.append(data)
        os.close(leader)
        self.assertEqual(process.wait(timeout=30), 0)
        screen = b"".join(chunks).decode(errors="replace")
        check_sanitizers(screen.replace("\r\n", "\n"))
        # Redraws move the cursor up over the previous lines instead of scrolling.
        self.assertIn("\x1b[", screen)
        self.assertGreaterEqual(len([m for m in re.finditer(r"\ba\s+\[", screen)]), 2, screen)
        self.assertRegex(screen, r"b\s+\[\s*\d+%\]\s+\d+/1\s+VUs")


if __name__ == "__main__":
    unittest.main()
