"""abort_on_fail through a real run: a breached SLO stops a 60 s test early like
an interrupt (graceful stop, teardown, every output) and exits 2; a SLO that
holds, or one whose delay_abort_eval has not passed, lets the test run on."""

import json
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


if __name__ == "__main__":
    unittest.main()
