"""SLOs with a `window` against the hotel mock: a burst of errors that the
cumulative rate hides (under 5% over the run) fails a 2 s window (over 5%
around the burst); the result file and the summary show the worst window;
`lueng validate` on the file agrees; with abort_on_fail the burst stops the
run; a window on a sub-metric is refused before any request."""

import json
import unittest

from hotel_support import MockCase
from support import lueng, run_lueng

# Two VUs for DURATION; from BURST_FROM to BURST_TO ms into the test, one request
# in four goes to a path the mock does not have (404, so http_req_failed).
SCRIPT = """
local http = require "lueng.http"
local lueng = require "lueng"
options = {{
  scenarios = {{ burst = {{ executor = "constant-vus", vus = 2, duration = "{duration}" }} }},
  thresholds = {{
    http_req_failed = {{ "rate<0.05", {{ "rate<0.05", window = "2s"{extra} }} }},
  }},
}}
function default()
  local t = lueng.vu.test_elapsed
  local burst = t >= {burst_from} and t < {burst_to} and lueng.vu.iteration % 4 == 0
  http.get(ENV.BASE_URL .. (burst and "/api/v1/no-such-thing" or "/health/live"))
  lueng.sleep(0.05)
end
"""


def script(duration="7s", burst_from=3000, burst_to=4000, extra=""):
    return SCRIPT.format(duration=duration, burst_from=burst_from, burst_to=burst_to, extra=extra)


class SloWindowTest(MockCase):
    def setUp(self):
        self.mock = self.start_mock()

    def run_script(self, text, *args):
        return run_lueng(text, ["-e", f"BASE_URL=http://127.0.0.1:{self.mock.port}", *args],
                         timeout=60)

    def test_a_burst_fails_the_window_the_cumulative_rate_hides(self):
        run = self.run_script(script())
        self.assertEqual(run.code, 2, run.stderr)
        whole, windowed = run.result["slos"]["results"]
        self.assertEqual((whole["window_seconds"], whole["status"]), (0, "PASS"))
        self.assertLess(whole["value"], 0.05)
        self.assertGreater(whole["value"], 0)
        self.assertIsNone(whole["worst_window"])

        self.assertEqual(windowed["window_seconds"], 2)
        self.assertEqual(windowed["status"], "CRITICAL")
        self.assertGreater(windowed["value"], 0.05)
        worst = windowed["worst_window"]
        self.assertEqual(worst["to_second"] - worst["from_second"], 2)
        # The burst covers second 3: the worst window holds it.
        self.assertIn(3, range(worst["from_second"], worst["to_second"]))
        self.assertGreaterEqual(worst["missed"], 1)
        self.assertLess(worst["missed"], worst["windows"])
        self.assertIn("http_req_failed [2s window]", run.stdout)
        self.assertIn(f"at {worst['from_second']}s-{worst['to_second']}s", run.stdout)

        # validate reads the same verdict off the file's per-second series.
        done = lueng("validate", run.result_path, "--format", "json")
        self.assertEqual(done.returncode, 2, done.stderr)
        self.assertEqual(json.loads(done.stdout)["results"], run.result["slos"]["results"])
        markdown = lueng("validate", run.result_path, "--format", "markdown").stdout
        self.assertIn(f"at {worst['from_second']}s-{worst['to_second']}s", markdown)

    def test_abort_on_fail_stops_the_run_at_the_first_window_that_misses(self):
        run = self.run_script(
            script(duration="60s", burst_from=2000, burst_to=3000, extra=", abort_on_fail = true"))
        self.assertEqual(run.code, 2, run.stderr)
        self.assertEqual(run.result["slos"]["verdict"], "ABORTED")
        self.assertEqual(run.result["slos"]["aborted_by"],
                         'options.thresholds["http_req_failed"][2]')
        self.assertLess(run.result["duration_seconds"], 15)
        self.assertRegex(run.stderr, r"abort_on_fail: http_req_failed missed rate<0\.05 in the 2s "
                                     r"window \d+s-\d+s \(rate=0\.\d+\): stopping gracefully")
        done = lueng("validate", run.result_path, "--format", "json")
        self.assertEqual(done.returncode, 2)
        self.assertEqual(json.loads(done.stdout)["verdict"], "ABORTED")

    def test_a_window_on_a_sub_metric_is_refused(self):
        text = script().replace('http_req_failed = {', '["http_req_failed{status:404}"] = {')
        run = self.run_script(text)
        self.assertEqual(run.code, 104, run.stderr)
        self.assertIn('options.thresholds["http_req_failed{status:404}"][2].window: the per-second '
                      'series keeps whole metrics, not tags', run.stderr)


if __name__ == "__main__":
    unittest.main()
