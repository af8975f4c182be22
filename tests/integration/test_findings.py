"""Findings from the time series of real runs against hotel-mock: a ramping
scenario finds the breaking point of a service with a small --capacity (the
VUs at that moment past the capacity), and does not against an unlimited one;
a spike past the capacity and back shows the recovery, after a warm-up from 0
VUs too (scripts/spike.lua's shape); a constant soak finds
the drift of a mock that gets slower with uptime (--degrade) and none on a
steady one; so does the hold stage of a ramping soak; a light run has not
enough requests to judge. Each finding is in the summary, the
result file and the Markdown report (the drifts in the HTML report too)."""

import os
import tempfile
import unittest
from concurrent.futures import ThreadPoolExecutor

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


SPIKE = """
local http = require "lueng.http"
options = {
  scenarios = {
    spike = { executor = "ramping-vus", startVUs = 2,
              stages = { { duration = "2s", target = 2 }, { duration = "1s", target = 10 },
                         { duration = "2s", target = 10 }, { duration = "1s", target = 2 },
                         { duration = "4s", target = 2 } } },
  },
}
function default()
  http.get(ENV.BASE_URL .. "/api/v1/pms/room-types", { tags = { endpoint = "room_types" } })
end
"""


def run_with_markdown(script, mock):
    markdown = os.path.join(tempfile.mkdtemp(prefix="lueng-findings-"), "report.md")
    run = run_lueng(script, ["--threads", "1", "-e", f"BASE_URL=http://127.0.0.1:{mock.port}",
                             "--out", f"markdown={markdown}"])
    with open(markdown) as f:
        return run, f.read()


# A stress test's shape, short: a warm-up from 0 to 2 VUs, held, then up in steps
# of less than double each (3, 5, 8), back to 2 and held.
STRESS = """
local http = require "lueng.http"
options = {
  scenarios = {
    stress = { executor = "ramping-vus", startVUs = 0,
               stages = { { duration = "1s", target = 2 }, { duration = "1s", target = 2 },
                          { duration = "1s", target = 3 }, { duration = "1s", target = 5 },
                          { duration = "1s", target = 8 }, { duration = "1s", target = 2 },
                          { duration = "3s", target = 2 } } },
  },
}
function default()
  http.get(ENV.BASE_URL .. "/api/v1/pms/room-types", { tags = { endpoint = "room_types" } })
end
"""

# scripts/spike.lua's shape: a warm-up from 0, then the spike. The ramp 0 -> 2 is
# not a spike (no load before it to be back at); 2 -> 10 -> 2 is.
SPIKE_FROM_ZERO = SPIKE.replace("startVUs = 2", "startVUs = 0")


class RecoveryTest(unittest.TestCase):
    def assertRecovered(self, script):
        # 2 VUs fit the capacity of 3 (200 ms each); 10 in flight wait 200 ms x (1 + 7/3).
        mock = Mock("--capacity", str(CAPACITY), "--latency", "room_types=200ms")
        self.addCleanup(mock.stop)
        run, markdown = run_with_markdown(script, mock)
        self.assertEqual(run.code, 0, run.stderr)
        [found] = run.result["findings"]["recoveries"]
        self.assertEqual(found["scenario"], "spike")
        # The spike is the stage up at 2 s until the stage back down ends at 6 s.
        self.assertEqual((found["spike_start"], found["spike_end"]), (2, 6))
        spike_p95 = max(p["http_req_duration"]["p(95)"] for p in run.result["time_series"]
                        if 3 <= p["t"] < 6)
        self.assertGreaterEqual(found["before_p95_ms"], 195)
        self.assertLess(found["before_p95_ms"] * 1.2, spike_p95)
        self.assertTrue(found["recovered"], found)
        # Back to 2 VUs the mock answers at its base latency again, within the 4 s hold.
        self.assertGreaterEqual(found["seconds"], 0)
        self.assertLess(found["seconds"], 4)
        line = f"recovery (spike): p95 back within 20% of "
        self.assertIn(line, run.stdout)
        self.assertIn("after the spike 2s-6s", run.stdout)
        self.assertIn("### Findings", markdown)
        self.assertIn(line, markdown)
        self.assertIn("after the spike 2s-6s", markdown)

    def test_recovery_after_a_spike_past_the_capacity(self):
        self.assertRecovered(SPIKE)

    def test_recovery_after_a_warm_up_from_0_and_a_spike(self):
        self.assertRecovered(SPIKE_FROM_ZERO)

    def test_recovery_after_a_stress_ramp_in_steps_past_the_capacity(self):
        # 2 VUs fit the capacity of 3; the steps 3, 5, 8 (none doubles the one
        # before) go past it, then the load drops back to 2.
        mock = Mock("--capacity", str(CAPACITY), "--latency", "room_types=200ms")
        self.addCleanup(mock.stop)
        run, markdown = run_with_markdown(STRESS, mock)
        self.assertEqual(run.code, 0, run.stderr)
        [found] = run.result["findings"]["recoveries"]
        self.assertEqual(found["scenario"], "stress")
        # From the first step up at 2 s to the end of the stage back down at 6 s.
        self.assertEqual((found["spike_start"], found["spike_end"]), (2, 6))
        self.assertGreaterEqual(found["before_p95_ms"], 195)
        self.assertTrue(found["recovered"], found)
        self.assertLess(found["seconds"], 3)
        line = "recovery (stress): p95 back within 20% of "
        for text in (run.stdout, markdown):
            self.assertIn(line, text)
            self.assertIn("after the spike 2s-6s", text)


# At least the 60 s drift needs, and enough requests for it: 20 VUs against a
# 100 ms service make ~130 req/s at first, ~50 once degraded (drift needs 100
# requests in each tenth of 5.4 s); LIGHT makes ~1 req/s, too few.
SOAK = """
local http = require "lueng.http"
options = {
  scenarios = { soak = { executor = "constant-vus", vus = 20, duration = "60s" } },
}
function default()
  http.get(ENV.BASE_URL .. "/api/v1/pms/room-types", { tags = { endpoint = "room_types" } })
end
"""

# The shape of most soak tests: ramp up, hold, ramp down. Drift judges the hold.
RAMP_SOAK = SOAK.replace(
    'soak = { executor = "constant-vus", vus = 20, duration = "60s" }',
    'ramp = { executor = "ramping-vus", startVUs = 0, stages = { { duration = "3s", target = 20 },'
    ' { duration = "60s", target = 20 }, { duration = "2s", target = 0 } } }')

LIGHT = """
local http = require "lueng.http"
local lueng = require "lueng"
options = {
  scenarios = { light = { executor = "constant-vus", vus = 1, duration = "60s" } },
}
function default()
  http.get(ENV.BASE_URL .. "/api/v1/pms/room-types", { tags = { endpoint = "room_types" } })
  lueng.sleep(1)
end
"""


def run_with_reports(script, mock):
    directory = tempfile.mkdtemp(prefix="lueng-findings-")
    markdown, html = os.path.join(directory, "report.md"), os.path.join(directory, "report.html")
    run = run_lueng(script, ["--threads", "1", "-e", f"BASE_URL=http://127.0.0.1:{mock.port}",
                             "--out", f"markdown={markdown}", "--out", f"html={html}"])
    with open(markdown) as f, open(html) as g:
        return run, f.read(), g.read()


class DriftTest(unittest.TestCase):
    def test_drift_of_a_degrading_service_and_none_of_a_steady_one(self):
        # 100 ms base; the degrading ones add 5 ms per second of uptime: ~+40 ms in
        # the first tenth after warm-up, ~+285 ms in the last.
        degrading = Mock("--latency", "room_types=100ms", "--degrade", "5ms")
        self.addCleanup(degrading.stop)
        degrading_too = Mock("--latency", "room_types=100ms", "--degrade", "5ms")
        self.addCleanup(degrading_too.stop)
        steady = Mock("--latency", "room_types=100ms")
        self.addCleanup(steady.stop)
        # All four at once: about one minute of wall time for them all.
        with ThreadPoolExecutor(4) as pool:
            runs = list(pool.map(lambda job: run_with_reports(*job),
                                 ((SOAK, degrading), (SOAK, steady), (RAMP_SOAK, degrading_too),
                                  (LIGHT, steady))))
        (drifting, drifting_md, _), (stable, stable_md, _), (ramp, ramp_md, ramp_html), \
            (light, light_md, light_html) = runs
        for run in (drifting, stable, ramp, light):
            self.assertEqual(run.code, 0, run.stderr)

        [found] = drifting.result["findings"]["drifts"]
        self.assertEqual(found["scenario"], "soak")
        self.assertTrue(found["flagged"], found)
        self.assertEqual(found["state"], "drifting")
        self.assertFalse(found["hold"])
        self.assertEqual((found["stretch_start"], found["stretch_end"]), (0, 60))
        self.assertGreaterEqual(min(found["requests_first"], found["requests_last"]), 100, found)
        self.assertGreater(found["p95_change_percent"], 30)
        self.assertGreater(found["p95_last_ms"], found["p95_first_ms"])
        self.assertEqual((found["error_rate_first"], found["error_rate_last"]), (0, 0))
        self.assertIn("drift (soak, 0s-1m0s): p95 ", drifting.stdout)
        self.assertIn(": DRIFTING (past 30%)", drifting.stdout)
        self.assertIn(": DRIFTING (past 30%)", drifting_md)

        [found] = stable.result["findings"]["drifts"]
        self.assertFalse(found["flagged"], found)
        self.assertEqual(found["state"], "stable")
        self.assertLessEqual(abs(found["p95_change_percent"]), 30)
        self.assertGreaterEqual(found["p95_first_ms"], 95)
        self.assertIn("drift (soak, 0s-1m0s): p95 ", stable.stdout)
        self.assertIn(": stable", stable.stdout)
        self.assertIn(": stable", stable_md)
        # Neither is a ramping scenario: no breaking point, no recovery.
        for run in (drifting, stable):
            self.assertEqual(run.result["findings"]["breaking_points"], [])
            self.assertEqual(run.result["findings"]["recoveries"], [])

        # The ramping soak is judged on its 60 s hold, 3 s to 63 s, not on its ramps.
        [found] = ramp.result["findings"]["drifts"]
        self.assertEqual(found["scenario"], "ramp")
        self.assertTrue(found["hold"])
        self.assertEqual((found["stretch_start"], found["stretch_end"]), (3, 63))
        self.assertTrue(found["flagged"], found)
        self.assertEqual(found["state"], "drifting")
        self.assertGreater(found["p95_last_ms"], found["p95_first_ms"])
        line = "drift (ramp, hold 3s-1m3s): p95 "
        for text in (ramp.stdout, ramp_md, ramp_html):
            self.assertIn(line, text)
            self.assertIn(": DRIFTING (past 30%)", text)
        self.assertIn('<li class="finding drift" data-state="drifting">' + line, ramp_html)
        [breaking] = ramp.result["findings"]["breaking_points"]
        self.assertFalse(breaking["reached"], breaking)

        # One request a second is ~6 in a tenth: a state of its own, not a verdict.
        [found] = light.result["findings"]["drifts"]
        self.assertEqual(found["state"], "not enough data")
        self.assertFalse(found["flagged"], found)
        self.assertLess(found["requests_first"], 100)
        self.assertGreater(found["requests_first"], 0)
        line = "drift (light, 0s-1m0s): not enough data ("
        for text in (light.stdout, light_md, light_html):
            self.assertIn(line, text)
        self.assertIn('data-state="not enough data"', light_html)


if __name__ == "__main__":
    unittest.main()
