"""Thresholds as SLOs through real runs against a real server on loopback:
statuses, the exit status of each tier, sub-metrics of custom metrics, the
summary's SLO section, the result file and threshold errors."""

import os
import tempfile
import unittest

from support import TestServer, lueng, run_lueng

# 20 requests: 15 to /hello (200), 5 to /status?code=500; every 4th iteration fails.
SCRIPT = """
local http = require "lueng.http"
local metrics = require "lueng.metrics"
local step = metrics.Trend("step_time", true)
local never_fed = metrics.Counter("never_fed")
options = {{ thresholds = {thresholds} }}
function default()
  local lueng = require "lueng"
  local i = lueng.vu.iteration
  if i % 4 == 3 then
    http.get(ENV.BASE_URL .. "/status?code=500", {{ tags = {{ endpoint = "broken" }} }})
  else
    http.get(ENV.BASE_URL .. "/hello", {{ tags = {{ endpoint = "hello" }} }})
  end
  step:add(i % 2 == 0 and 5 or 50, {{ step = i % 2 == 0 and "login" or "search" }})
end
"""


class ThresholdsTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = TestServer()

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()

    def run_with(self, thresholds, *args):
        return run_lueng(SCRIPT.format(thresholds=thresholds),
                         ["-e", f"BASE_URL={self.server.base_url}", "-u", "1", "-i", "20", *args])

    def slos(self, run):
        return {(s["slo"], s["expression"]): s for s in run.result["slos"]["results"]}

    def test_thresholds_that_pass_exit_0(self):
        run = self.run_with("""{
            http_reqs = "count==20",
            http_req_failed = { "rate<0.3" },
            ["http_req_failed{endpoint:hello}"] = { "rate==0" },
            ["http_req_duration{endpoint:hello}"] = { { "p(95)<5000", priority = "P1",
                                                        description = "hello is fast" } },
        }""")
        self.assertEqual(run.code, 0, run.stderr)
        report = run.result["slos"]
        self.assertEqual(report["verdict"], "PASSED")
        self.assertEqual(report["exit_code"], 0)
        self.assertEqual(report["compliance_percent"], 100)
        self.assertEqual(report["rating"], "excellent")
        slos = self.slos(run)
        self.assertEqual(slos[("http_reqs", "count==20")]["value"], 20)
        self.assertEqual(slos[("http_req_failed", "rate<0.3")]["value"], 0.25)
        hello = slos[("http_req_duration{endpoint:hello}", "p(95)<5000")]
        self.assertEqual(hello["samples"], 15)
        self.assertEqual(hello["status"], "PASS")
        self.assertEqual(hello["priority"], "P1")
        self.assertEqual(hello["tags"], {"endpoint": "hello"})
        self.assertEqual(run.result["exit_code"], 0)
        self.assertIn("SLOs", run.stdout)
        self.assertIn("hello is fast", run.stdout)
        self.assertIn("verdict:    PASSED (exit 0)", run.stdout)

    def test_a_p1_failure_exits_1_with_recommendations(self):
        run = self.run_with("""{
            http_reqs = "count==20",
            http_req_failed = { { "rate<0.1", priority = "P1" } },
        }""")
        self.assertEqual(run.code, 1, run.stderr)
        failed = self.slos(run)[("http_req_failed", "rate<0.1")]
        self.assertEqual(failed["status"], "FAIL")
        self.assertEqual(failed["value"], 0.25)
        self.assertAlmostEqual(failed["deviation_percent"], 150)
        self.assertTrue(any("logs" in advice for advice in failed["recommendations"]))
        self.assertEqual(run.result["slos"]["verdict"], "FAILED")
        self.assertEqual(run.result["slos"]["compliance_percent"], 50)
        self.assertIn("recommendations", run.stdout)
        self.assertIn("✗ FAIL", run.stdout)

    def test_a_p0_failure_exits_2(self):
        run = self.run_with("""{
            http_req_failed = { { "rate<0.1", priority = "P1" } },
            ["http_req_failed{endpoint:broken}"] = { "rate<0.5" },
        }""")
        self.assertEqual(run.code, 2, run.stderr)
        broken = self.slos(run)[("http_req_failed{endpoint:broken}", "rate<0.5")]
        self.assertEqual(broken["status"], "CRITICAL")
        self.assertEqual(broken["samples"], 5)
        self.assertEqual(broken["value"], 1)
        self.assertEqual(run.result["slos"]["verdict"], "CRITICAL")
        self.assertEqual(run.result["exit_code"], 2)

    def test_warn_gives_warning_and_strict_makes_it_fail(self):
        thresholds = """{ http_req_failed = { { "rate<0.3", warn = "rate<0.2" } } }"""
        run = self.run_with(thresholds)
        self.assertEqual(run.code, 0, run.stderr)
        slo = self.slos(run)[("http_req_failed", "rate<0.3")]
        self.assertEqual(slo["status"], "WARNING")
        self.assertEqual(slo["warn"], "rate<0.2")
        self.assertEqual(run.result["slos"]["verdict"], "PASSED WITH WARNINGS")
        strict = self.run_with(thresholds, "--strict")
        self.assertEqual(strict.code, 1, strict.stderr)
        self.assertEqual(strict.result["slos"]["verdict"], "FAILED")

    def test_no_data_fails_at_its_priority_unless_allowed(self):
        run = self.run_with("""{ ["http_req_duration{endpoint:none}"] = { { "p(95)<100", priority = "P2" } } }""")
        self.assertEqual(run.code, 1, run.stderr)
        slo = self.slos(run)[("http_req_duration{endpoint:none}", "p(95)<100")]
        self.assertEqual(slo["status"], "NO DATA")
        self.assertIsNone(slo["value"])
        critical = self.run_with("""{ ["http_req_duration{endpoint:none}"] = "p(95)<100" }""")
        self.assertEqual(critical.code, 2, critical.stderr)
        allowed = self.run_with(
            """{ ["http_req_duration{endpoint:none}"] = { { "p(95)<100", allow_empty = true } } }""")
        self.assertEqual(allowed.code, 0, allowed.stderr)
        self.assertEqual(allowed.result["slos"]["verdict"], "PASSED")

    def test_event_counters_read_zero_without_samples_but_a_custom_one_is_no_data(self):
        # dropped_iterations and script_errors are recorded whenever one happens: a
        # run with none meets `count<1` (as in k6); a custom counter never fed is NO DATA.
        run = self.run_with("""{ dropped_iterations = "count<1",
                                   ["script_errors{kind:error}"] = "count<1",
                                   never_fed = { { "count<1", priority = "P1" } } }""")
        self.assertEqual(run.code, 1, run.stderr)
        slos = self.slos(run)
        for name in ("dropped_iterations", "script_errors{kind:error}"):
            self.assertEqual(slos[(name, "count<1")]["status"], "PASS")
            self.assertEqual(slos[(name, "count<1")]["value"], 0)
        self.assertEqual(slos[("never_fed", "count<1")]["status"], "NO DATA")
        self.assertIn("count=0      count<1", run.stdout)

    def test_a_custom_trend_with_a_tag_sub_metric_threshold(self):
        run = self.run_with("""{
            ["step_time{step:login}"] = { "max<10", "avg==5" },
            ["step_time{step:search}"] = { { "avg<10", priority = "P1" } },
            step_time = { "max==50" },
        }""")
        self.assertEqual(run.code, 1, run.stderr)
        slos = self.slos(run)
        self.assertEqual(slos[("step_time{step:login}", "max<10")]["status"], "PASS")
        self.assertEqual(slos[("step_time{step:login}", "max<10")]["samples"], 10)
        self.assertEqual(slos[("step_time{step:login}", "avg==5")]["value"], 5)
        search = slos[("step_time{step:search}", "avg<10")]
        self.assertEqual(search["status"], "FAIL")
        self.assertEqual(search["value"], 50)
        self.assertEqual(slos[("step_time", "max==50")]["status"], "PASS")
        self.assertRegex(run.stdout, r"\{ step:login \}\.*: avg=5ms ")
        submetrics = run.result["metrics"]["step_time"]["submetrics"]
        by_step = {s["tags"]["step"]: s["values"]["count"] for s in submetrics}
        self.assertEqual(by_step, {"login": 10, "search": 10})

    def test_inspect_lists_the_slos(self):
        run = self.run_with('''{ ["step_time{step:login}"] = { { "max<10", warn = "max<8",
            priority = "P1", abort_on_fail = true, delay_abort_eval = "5s" } } }''')
        done = lueng("inspect", run.script_path)
        self.assertEqual(done.returncode, 0, done.stderr)
        self.assertIn("step_time{step:login} max<10 (P1, warn max<8, abort_on_fail after 5s)",
                      done.stdout)

    def test_a_teams_recommendations_module_replaces_the_shipped_one(self):
        script_dir = tempfile.mkdtemp(prefix="lueng-advice-")
        os.makedirs(os.path.join(script_dir, "lueng"))
        with open(os.path.join(script_dir, "lueng", "recommendations.lua"), "w") as f:
            f.write('''return {
              { metrics = { "http_req_failed" }, statuses = { "FAIL" },
                advice = { "Page the booking team on #bookings." } },
            }''')
        script = os.path.join(script_dir, "script.lua")
        with open(script, "w") as f:
            f.write(SCRIPT.format(thresholds='{ http_req_failed = { { "rate<0.1", priority = "P2" } } }'))
        run = run_lueng(script_path=script,
                        args=["-e", f"BASE_URL={self.server.base_url}", "-u", "1", "-i", "20"])
        self.assertEqual(run.code, 1, run.stderr)
        failed = run.result["slos"]["results"][0]
        self.assertEqual(failed["recommendations"], ["Page the booking team on #bookings."])
        self.assertIn("- Page the booking team on #bookings.", run.stdout)

    def test_quoted_selector_values_and_strict_equality_read_as_in_k6(self):
        run = self.run_with("""{
            [ [[http_req_duration{endpoint:"hello"}]] ] = "p(95)<5000",
            ["http_req_failed{ endpoint : 'broken' }"] = "rate===1",
        }""")
        self.assertEqual(run.code, 0, run.stderr)
        slos = self.slos(run)
        hello = slos[('http_req_duration{endpoint:"hello"}', "p(95)<5000")]
        self.assertEqual((hello["status"], hello["samples"]), ("PASS", 15))
        self.assertEqual(hello["tags"], {"endpoint": "hello"})
        broken = slos[("http_req_failed{ endpoint : 'broken' }", "rate===1")]
        self.assertEqual((broken["status"], broken["samples"]), ("PASS", 5))

    def test_threshold_errors_exit_104_before_any_request(self):
        cases = [
            ("""{ http_req_duration = "p95<3000" }""",
             'options.thresholds["http_req_duration"]: \'p95<3000\': unknown aggregation \'p95\''),
            ("""{ http_reqs = { "count>1", "p(95)<3" } }""",
             'options.thresholds["http_reqs"][2]: \'p(95)<3\': http_reqs is a counter, which has '
             'count or rate, not p(95)'),
            ("""{ ["no_such_metric{a:b}"] = "avg<3" }""",
             'options.thresholds["no_such_metric{a:b}"]: unknown metric \'no_such_metric\''),
            ("""{ step_time = { { "avg<3", priority = "P9" } } }""",
             'options.thresholds["step_time"][1].priority: must be "P0", "P1" or "P2"'),
            ("""{ ["http_req_duration {endpoint:hello}"] = "avg<3" }""",
             'options.thresholds["http_req_duration {endpoint:hello}"]: \'http_req_duration \': '
             "nothing may stand between the metric name and '{'"),
            ("""{ ["http_req_duration{endpoint:}"] = "avg<3" }""",
             'options.thresholds["http_req_duration{endpoint:}"]: \'endpoint:\' has no value '
             "after ':'"),
            ("""{ http_req_duration = "p( 95 )<3" }""",
             'options.thresholds["http_req_duration"]: \'p( 95 )<3\': \'p( 95 )\' is not a '
             "percentile: no spaces inside p(N), as in k6"),
        ]
        for thresholds, message in cases:
            with self.subTest(thresholds=thresholds):
                self.server.reset()
                run = self.run_with(thresholds)
                self.assertEqual(run.code, 104, run.stderr)
                self.assertIn("script.lua: " + message, run.stderr)
                self.assertEqual(len(self.server.requests), 0)
                self.assertIsNone(run.result)


if __name__ == "__main__":
    unittest.main()
