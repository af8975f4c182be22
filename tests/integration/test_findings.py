"""Findings from the time series of real runs against hotel-mock: a ramping
scenario finds the breaking point of a service with a small --capacity (the
VUs at that moment past the capacity), and does not against an unlimited one;
the finding is in the summary, the result file and the Markdown report."""

import os
import tempfile
import unittest

from support import run_lueng
from test_hotel_mock import Mock

SCRIPT = """
local http = require "lueng.http"
options = {
  scenarios = {
    ramp = { executor = "ramping-vus", startVUs = 1, gracefulRampDown = "0s",
             stages = { { duration = "6s", target = %d } },
             breaking_point = { p95 = "150ms", error_rate = 0.05 } },
  },
}
function default()
  http.get(ENV.BASE_URL .. "/api/v1/pms/room-types", { tags = { endpoint = "room_types" } })
end
"""

CAPACITY = 3


class BreakingPointTest(unittest.TestCase):
    def ramp(self, mock, target):
        markdown = os.path.join(tempfile.mkdtemp(prefix="lueng-findings-"), "report.md")
        run = run_lueng(SCRIPT % target, ["-e", f"BASE_URL=http://127.0.0.1:{mock.port}",
                                          "--out", f"markdown={markdown}"])
        self.assertEqual(run.code, 0, run.stderr)
        with open(markdown) as f:
            return run, f.read()

    def test_breaking_point_of_a_small_service(self):
        # Past 3 in flight every request waits longer; past 12 the mock sheds with 503.
        mock = Mock("--capacity", str(CAPACITY), "--latency", "room_types=20ms")
        self.addCleanup(mock.stop)
        run, markdown = self.ramp(mock, 40)
        [found] = run.result["findings"]["breaking_points"]
        self.assertEqual(found["scenario"], "ramp")
        self.assertTrue(found["reached"], found)
        self.assertGreater(found["vus"], CAPACITY)
        self.assertLessEqual(found["t"], 6)
        self.assertTrue(found["p95_ms"] > 150 or found["error_rate"] > 0.05, found)
        self.assertEqual(found["p95_limit_ms"], 150)
        self.assertIn("breaking point (ramp): at ", run.stdout)
        self.assertIn("### Findings", markdown)
        self.assertIn("breaking point (ramp): at ", markdown)

    def test_not_reached_by_an_unlimited_service(self):
        mock = Mock("--latency", "room_types=5ms")
        self.addCleanup(mock.stop)
        run, markdown = self.ramp(mock, 4)
        [found] = run.result["findings"]["breaking_points"]
        self.assertFalse(found["reached"], found)
        self.assertIn("breaking point (ramp): not reached", run.stdout)
        self.assertIn("not reached", markdown)
        # The 10 s window the finding judges is in the time series.
        points = run.result["time_series"]
        self.assertTrue(all("window_p(95)" in p["http_req_duration"] for p in points))
        self.assertGreater(max(p["http_req_duration"]["window_count"] for p in points), 0)

    def test_a_bad_breaking_point_option_is_named(self):
        run = run_lueng(SCRIPT.replace("error_rate = 0.05", "error_rate = 5") % 2, ["-e", "BASE_URL=http://127.0.0.1:1"])
        self.assertEqual(run.code, 104)
        self.assertIn("options.scenarios.ramp.breaking_point.error_rate", run.stderr)


if __name__ == "__main__":
    unittest.main()
