"""abort_on_fail through a real run: a breached SLO stops a 60 s test early like
an interrupt (graceful stop, teardown, every output) and exits 2; a SLO that
holds, or one whose delay_abort_eval has not passed, lets the test run on.
Every kind of metric is watched live: trends, counters, rates, custom gauges,
and the VU gauges the main thread measures."""

import json
import re
import unittest

from support import TestServer, lueng, run_lueng

SCRIPT = """
local http = require "lueng.http"
local lueng = require "lueng"
options = {{
  scenarios = {{ load = {{ executor = "constant-vus", vus = 2, duration = "{duration}" }} }},
  thresholds = {thresholds},
}}
function default()
  http.get(ENV.BASE_URL .. "/slow?ms=20", {{ tags = {{ endpoint = "slow" }} }})
  lueng.sleep(0.05)
end
function teardown() http.get(ENV.BASE_URL .. "/hello?from=teardown") end
"""

# Ramps from 1 to 5 VUs in 4 s, then holds 5 VUs (for a minute by default); a custom gauge
# reports how many iterations this VU has run.
RAMP_SCRIPT = """
local http = require "lueng.http"
local lueng = require "lueng"
local metrics = require "lueng.metrics"
local done = metrics.Gauge("iterations_done")
options = {{
  scenarios = {{ ramp = {{ executor = "ramping-vus", startVUs = 1,
    stages = {{ {{ duration = "4s", target = 5 }}, {{ duration = "{hold}", target = 5 }} }} }} }},
  thresholds = {thresholds},
}}
function default()
  http.get(ENV.BASE_URL .. "/hello")
  done:add(lueng.vu.iteration + 1, {{ vu = tostring(lueng.vu.id) }})
  lueng.sleep(0.2)
end
function teardown() http.get(ENV.BASE_URL .. "/hello?from=teardown") end
"""

# setup() sends the slow request and feeds a custom counter; the test itself only fast ones.
SETUP_SCRIPT = """
local http = require "lueng.http"
local lueng = require "lueng"
local metrics = require "lueng.metrics"
local seeded = metrics.Counter("seeded")
options = {{
  scenarios = {{ load = {{ executor = "constant-vus", vus = 1, duration = "60s" }} }},
  thresholds = {thresholds},
}}
function setup()
  http.get(ENV.BASE_URL .. "/slow?ms=150", {{ tags = {{ phase = "setup" }} }})
  seeded:add(5)
end
function default() http.get(ENV.BASE_URL .. "/hello"); lueng.sleep(0.1) end
"""


class AbortOnFailTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = TestServer()

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()

    def run_with(self, thresholds, duration="60s"):
        self.server.reset()
        return run_lueng(SCRIPT.format(thresholds=thresholds, duration=duration),
                         ["-e", f"BASE_URL={self.server.base_url}"], timeout=90)

    def test_a_breach_stops_a_60s_run_early_with_exit_2_and_a_complete_result(self):
        run = self.run_with("""{
            ["http_req_duration{endpoint:slow}"] = {
              { "p(95)<5", abort_on_fail = true, delay_abort_eval = "1s", priority = "P1" } },
            http_req_failed = "rate==0",
        }""")
        self.assertEqual(run.code, 2, run.stderr)
        self.assertIn("abort_on_fail: http_req_duration{endpoint:slow} missed p(95)<5", run.stderr)
        result = run.result
        self.assertLess(result["duration_seconds"], 30)
        self.assertFalse(result["interrupted"])
        self.assertEqual(result["exit_code"], 2)
        report = result["slos"]
        self.assertEqual(report["verdict"], "ABORTED")
        self.assertEqual(report["exit_code"], 2)
        self.assertEqual(report["aborted_by"],
                         'options.thresholds["http_req_duration{endpoint:slow}"][1]')
        slow = next(s for s in report["results"] if s["slo"] == "http_req_duration{endpoint:slow}")
        self.assertEqual(slow["status"], "FAIL")  # P1: its own status; the abort makes it exit 2
        self.assertGreater(slow["samples"], 0)
        # Every output of a finished run is there: metrics, series, checks, teardown's request.
        self.assertGreater(result["metrics"]["http_reqs"]["values"]["count"], 0)
        self.assertGreater(len(result["time_series"]), 0)
        self.assertIn("http_req_duration", result["metrics"])
        self.assertTrue(any(r.query.get("from") == "teardown" for r in self.server.requests))
        self.assertIn("verdict:    ABORTED (exit 2)", run.stdout)

        # Offline, the saved file gives the same verdict and exit status.
        validate = lueng("validate", run.result_path, "--format", "json")
        self.assertEqual(validate.returncode, 2, validate.stderr)
        offline = json.loads(validate.stdout)
        self.assertEqual(offline["verdict"], "ABORTED")
        self.assertEqual(offline["aborted_by"], report["aborted_by"])
        self.assertEqual([(s["slo"], s["status"], s["value"]) for s in offline["results"]],
                         [(s["slo"], s["status"], s["value"]) for s in report["results"]])

    def test_a_holding_slo_does_not_abort(self):
        run = self.run_with("""{
            http_req_duration = { { "p(95)<10000", abort_on_fail = true } },
        }""", duration="2s")
        self.assertEqual(run.code, 0, run.stderr)
        self.assertEqual(run.result["slos"]["aborted_by"], "")
        self.assertGreaterEqual(run.result["duration_seconds"], 2)

    def test_no_abort_before_delay_abort_eval(self):
        run = self.run_with("""{
            http_req_duration = { { "p(95)<5", abort_on_fail = true, delay_abort_eval = "1m" } },
        }""", duration="2s")
        self.assertEqual(run.code, 2, run.stderr)  # P0 missed at the end
        self.assertEqual(run.result["slos"]["verdict"], "CRITICAL")
        self.assertEqual(run.result["slos"]["aborted_by"], "")
        self.assertNotIn("abort_on_fail:", run.stderr)

    def run_ramp(self, thresholds, hold="60s"):
        self.server.reset()
        return run_lueng(RAMP_SCRIPT.format(thresholds=thresholds, hold=hold),
                         ["-e", f"BASE_URL={self.server.base_url}"], timeout=90)

    def test_the_vus_gauge_aborts_a_ramp_once_it_reaches_the_bound(self):
        run = self.run_ramp('{ vus = { { "value<3", abort_on_fail = true, priority = "P2" } } }')
        self.assertEqual(run.code, 2, run.stderr)
        match = re.search(r"abort_on_fail: vus missed value<3 after (\d+)s \(value=(\d+)\)",
                          run.stderr)
        self.assertIsNotNone(match, run.stderr)
        self.assertGreaterEqual(int(match.group(2)), 3)
        result = run.result
        self.assertLess(result["duration_seconds"], 30)
        self.assertEqual(result["exit_code"], 2)
        self.assertEqual(result["slos"]["verdict"], "ABORTED")
        self.assertEqual(result["slos"]["aborted_by"], 'options.thresholds["vus"][1]')
        # The run got as far as 3 VUs, and its outputs are complete.
        self.assertGreaterEqual(max(p["vus"] for p in result["time_series"]), 3)
        self.assertGreater(result["metrics"]["http_reqs"]["values"]["count"], 0)
        self.assertTrue(any(r.query.get("from") == "teardown" for r in self.server.requests))
        self.assertIn("verdict:    ABORTED (exit 2)", run.stdout)

    def test_vus_max_aborts_from_the_first_check(self):
        # ramping-vus initializes all 5 VUs up front.
        run = self.run_ramp('{ vus_max = { { "value<3", abort_on_fail = true } } }')
        self.assertEqual(run.code, 2, run.stderr)
        self.assertRegex(run.stderr, r"abort_on_fail: vus_max missed value<3 after \d+s \(value=5\)")
        self.assertLess(run.result["duration_seconds"], 30)
        self.assertEqual(run.result["slos"]["aborted_by"], 'options.thresholds["vus_max"][1]')

    def test_the_vus_gauge_waits_for_delay_abort_eval(self):
        run = self.run_ramp('{ vus = { { "value<3", abort_on_fail = true, delay_abort_eval = "6s" } } }')
        self.assertEqual(run.code, 2, run.stderr)
        match = re.search(r"abort_on_fail: vus missed value<3 after (\d+)s \(value=5\)", run.stderr)
        self.assertIsNotNone(match, run.stderr)
        self.assertGreaterEqual(int(match.group(1)), 6)
        self.assertGreaterEqual(run.result["duration_seconds"], 6)

    def test_a_vus_sub_metric_never_has_data_and_never_aborts(self):
        # The VU gauges carry no tags, as in k6.
        run = self.run_ramp('{ ["vus{scenario:ramp}"] = { { "value<3", abort_on_fail = true } } }',
                            hold="1s")
        self.assertEqual(run.code, 2, run.stderr)  # NO DATA at P0
        self.assertNotIn("abort_on_fail:", run.stderr)
        self.assertEqual(run.result["slos"]["results"][0]["status"], "NO DATA")
        self.assertEqual(run.result["slos"]["aborted_by"], "")

    def test_counters_rates_and_custom_gauges_abort_too(self):
        cases = [
            ('iterations_done', '"value<5"', r"iterations_done missed value<5 after \d+s \(value=\d+\)"),
            ('["iterations_done{vu:1}"]', '"value<5"',
             r"iterations_done\{vu:1\} missed value<5 after \d+s \(value=\d+\)"),
            ('iterations', '"count<8"', r"iterations missed count<8 after \d+s \(count=\d+\)"),
            ('iterations', '"rate<2"', r"iterations missed rate<2 after \d+s \(rate=[\d.]+\)"),
            ('data_sent', '"count<300"', r"data_sent missed count<300 after \d+s \(count=[\d.]+\w*\)"),
            ('checks', '"rate>0.5"', None),  # no checks: no samples, no abort
        ]
        for key, expression, message in cases:
            with self.subTest(key=key, expression=expression):
                run = self.run_ramp(
                    f'{{ {key} = {{ {{ {expression}, abort_on_fail = true, allow_empty = true }} }} }}',
                    hold="60s" if message else "1s")
                if message is None:
                    self.assertEqual(run.code, 0, run.stderr)
                    self.assertNotIn("abort_on_fail:", run.stderr)
                    continue
                self.assertEqual(run.code, 2, run.stderr)
                self.assertRegex(run.stderr, "abort_on_fail: " + message)
                self.assertLess(run.result["duration_seconds"], 15)
                self.assertEqual(run.result["slos"]["verdict"], "ABORTED")

    def test_what_setup_recorded_counts_from_the_first_check(self):
        cases = [
            ('["http_req_duration{phase:setup}"]', '"max<100"',
             r"http_req_duration\{phase:setup\} missed max<100 after \d+s \(max=\d+ms\)"),
            ("seeded", '"count<1"', r"seeded missed count<1 after \d+s \(count=5\)"),
        ]
        for key, expression, message in cases:
            with self.subTest(key=key):
                self.server.reset()
                run = run_lueng(SETUP_SCRIPT.format(
                    thresholds=f"{{ {key} = {{ {{ {expression}, abort_on_fail = true }} }} }}"),
                    ["-e", f"BASE_URL={self.server.base_url}"], timeout=90)
                self.assertEqual(run.code, 2, run.stderr)
                self.assertRegex(run.stderr, "abort_on_fail: " + message)
                self.assertLess(run.result["duration_seconds"], 30)
                self.assertEqual(run.result["slos"]["verdict"], "ABORTED")


if __name__ == "__main__":
    unittest.main()
