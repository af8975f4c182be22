"""`lueng validate` on result files of real runs: the run's own SLOs give the
run's verdict and exit status; a --slo file re-evaluates other SLOs (percentiles
from the saved histograms); every format, --ci, --output, --strict and errors."""

import json
import os
import tempfile
import unittest

from support import TestServer, lueng, run_lueng

SCRIPT = """
local http = require "lueng.http"
local metrics = require "lueng.metrics"
local step = metrics.Trend("step_time", true)
options = { thresholds = {
  http_req_failed = { { "rate<0.1", priority = "P1", description = "few errors" } },
  ["step_time{step:login}"] = "max<10",
} }
function default()
  local i = require("lueng").vu.iteration
  if i % 4 == 3 then http.get(ENV.BASE_URL .. "/status?code=500")
  else http.get(ENV.BASE_URL .. "/hello") end
  step:add(i % 2 == 0 and 5 or 50, { step = i % 2 == 0 and "login" or "search" })
end
"""


class ValidateTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = TestServer()
        cls.saved = run_lueng(SCRIPT, ["-e", f"BASE_URL={cls.server.base_url}", "-u", "1", "-i", "20"])
        cls.dir = tempfile.mkdtemp(prefix="lueng-validate-")

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()

    def slo_file(self, text, name="slo.lua"):
        path = os.path.join(self.dir, name)
        with open(path, "w") as f:
            f.write(text)
        return path

    def test_the_runs_own_slos_give_its_verdict_and_exit_status(self):
        self.assertEqual(self.saved.code, 1, self.saved.stderr)
        done = lueng("validate", self.saved.result_path)
        self.assertEqual(done.returncode, 1, done.stderr)
        self.assertIn("verdict:    FAILED (exit 1)", done.stdout)
        self.assertIn("few errors", done.stdout)
        self.assertIn("✗ FAIL", done.stdout)
        as_json = lueng("validate", self.saved.result_path, "--format", "json")
        report = json.loads(as_json.stdout)
        saved = self.saved.result["slos"]
        self.assertEqual(report["verdict"], saved["verdict"])
        self.assertEqual(report["exit_code"], saved["exit_code"])
        self.assertEqual([(r["slo"], r["expression"], r["status"], r["value"], r["samples"])
                          for r in report["results"]],
                         [(r["slo"], r["expression"], r["status"], r["value"], r["samples"])
                          for r in saved["results"]])

    def test_a_slo_file_re_evaluates_percentiles_from_the_histograms(self):
        values = self.saved.result["metrics"]["http_req_duration"]["values"]
        p95 = values["p(95)"]
        path = self.slo_file(f"""
            return {{
              http_reqs = "count==20",
              http_req_duration = {{ "p(95)<={p95!r}", "p(95)>={p95!r}" }},
              ["step_time{{step:search}}"] = {{ {{ "avg==50", priority = "P2" }} }},
            }}""")
        done = lueng("validate", self.saved.result_path, "--slo", path, "--format", "json")
        self.assertEqual(done.returncode, 0, done.stderr)
        report = json.loads(done.stdout)
        self.assertEqual(report["verdict"], "PASSED")
        self.assertEqual([r["status"] for r in report["results"]], ["PASS"] * 4)
        search = next(r for r in report["results"] if r["slo"] == "step_time{step:search}")
        self.assertEqual(search["samples"], 10)

    def test_tiers_from_a_slo_file(self):
        cases = [
            ('{ http_req_failed = { { "rate<0.1", priority = "P2" } } }', 1, "FAILED"),
            ('{ http_req_failed = "rate<0.1" }', 2, "CRITICAL"),
            ('{ http_req_failed = { { "rate<0.3", warn = "rate<0.2" } } }', 0, "PASSED WITH WARNINGS"),
            ('{ ["http_reqs{name:none}"] = { { "count>0", priority = "P1" } } }', 1, "FAILED"),
            ('{ ["http_reqs{name:none}"] = { { "count>0", allow_empty = true } } }', 0, "PASSED"),
        ]
        for table, code, verdict in cases:
            with self.subTest(table=table):
                path = self.slo_file("return " + table)
                done = lueng("validate", self.saved.result_path, "--slo", path, "--format", "json")
                self.assertEqual(done.returncode, code, done.stderr)
                self.assertEqual(json.loads(done.stdout)["verdict"], verdict)
        path = self.slo_file('return { http_req_failed = { { "rate<0.3", warn = "rate<0.2" } } }')
        strict = lueng("validate", self.saved.result_path, "--slo", path, "--strict")
        self.assertEqual(strict.returncode, 1, strict.stderr)

    def test_ci_prints_one_line_per_failing_slo_and_the_verdict(self):
        path = self.slo_file("""return {
            http_reqs = "count==20",
            http_req_failed = { { "rate<0.1", priority = "P1" } },
            ["step_time{step:search}"] = { { "max<10", priority = "P2" } },
        }""")
        done = lueng("validate", self.saved.result_path, "--slo", path, "--ci")
        self.assertEqual(done.returncode, 1, done.stderr)
        lines = done.stdout.strip().split("\n")
        self.assertEqual(len(lines), 3, done.stdout)
        self.assertTrue(lines[0].startswith("FAIL http_req_failed rate<0.1 rate=0.25 [P1]"))
        self.assertTrue(lines[1].startswith("FAIL step_time{step:search} max<10 max=50ms [P2]"))
        self.assertTrue(lines[2].startswith("verdict: FAILED (exit 1)"))

    def test_markdown_to_an_output_file(self):
        out = os.path.join(self.dir, "report.md")
        done = lueng("validate", self.saved.result_path, "--format", "markdown", "--output", out)
        self.assertEqual(done.returncode, 1, done.stderr)
        self.assertEqual(done.stdout, "")
        with open(out) as f:
            report = f.read()
        self.assertIn("| ✗ FAIL | `http_req_failed` | few errors | rate=0.25 | `rate<0.1` |", report)
        self.assertIn("**Verdict:** FAILED (exit 1)", report)
        self.assertIn("## Recommendations", report)

    def test_errors_exit_104_naming_the_file(self):
        bad = self.slo_file('return { http_reqs = "p(95)<1" }', "bad.lua")
        done = lueng("validate", self.saved.result_path, "--slo", bad)
        self.assertEqual(done.returncode, 104)
        self.assertIn(f'{bad}: thresholds["http_reqs"]: \'p(95)<1\': http_reqs is a counter',
                      done.stderr)
        # A metric without samples is NO DATA, but its thresholds must still parse...
        absent = self.slo_file('return { nope = { { "avg<1", priority = "P1" }, "p(95)<" } }',
                               "absent.lua")
        done = lueng("validate", self.saved.result_path, "--slo", absent)
        self.assertEqual(done.returncode, 104)
        self.assertIn(f"{absent}: thresholds[\"nope\"][2]: 'p(95)<': the number after '<' is "
                      "missing", done.stderr)
        # ...and agree on the type they give it.
        mixed = self.slo_file('return { nope = "count>1", ["nope{a:b}"] = "p(95)<1" }', "mixed.lua")
        done = lueng("validate", self.saved.result_path, "--slo", mixed)
        self.assertEqual(done.returncode, 104)
        self.assertIn(f"{mixed}: thresholds[\"nope{{a:b}}\"]: 'p(95)<1': nope has no samples, so "
                      "its thresholds give its type: 'count>1' makes it a counter, which has count "
                      "or rate, not p(95)", done.stderr)
        broken = self.slo_file("return {", "broken.lua")
        done = lueng("validate", self.saved.result_path, "--slo", broken)
        self.assertEqual(done.returncode, 104)
        self.assertIn("broken.lua:1:", done.stderr)
        not_json = self.slo_file("{", "not.json")
        done = lueng("validate", not_json)
        self.assertEqual(done.returncode, 104)
        self.assertIn(f"{not_json}: not JSON", done.stderr)
        done = lueng("validate", os.path.join(self.dir, "missing.json"))
        self.assertEqual(done.returncode, 104)
        self.assertIn("missing.json: cannot read", done.stderr)
        done = lueng("validate", self.saved.result_path, "--format", "html")
        self.assertEqual(done.returncode, 104)

    def test_tag_values_with_the_tag_separator_are_read(self):
        # A tag value holding U+001E (the separator of lueng's tag sets) made
        # validate loop forever matching the sub-metric.
        saved = json.loads(json.dumps(self.saved.result))
        step = saved["metrics"]["step_time"]
        step.pop("submetrics", None)
        for series in step["series"]:
            series["tags"]["step"] = series["tags"]["step"].replace("log", "log\x1e")
        path = os.path.join(self.dir, "separator.json")
        with open(path, "w") as f:
            json.dump(saved, f)
        done = lueng("validate", path, "--format", "json")
        # No series is step=login any more: the sub-metric has no data, which
        # at its priority (P0) is critical.
        self.assertEqual(done.returncode, 2, done.stderr)
        results = {r["slo"]: r for r in json.loads(done.stdout)["results"]}
        self.assertEqual(results["step_time{step:login}"]["status"], "NO DATA")


# Custom metrics of every type that never get a sample, with thresholds at
# each priority, with and without allow_empty.
UNUSED_METRICS_SCRIPT = """
local http = require "lueng.http"
local metrics = require "lueng.metrics"
metrics.Trend("never_time", true)
metrics.Counter("never_count")
metrics.Gauge("never_gauge")
metrics.Rate("never_rate")
options = { thresholds = THRESHOLDS }
function default() http.get(ENV.BASE_URL .. "/hello") end
"""


class NoDataTest(unittest.TestCase):
    """A --slo threshold on a metric the result file has no samples of is NO DATA,
    exactly as the run itself saw it, whether the script declared the metric or not."""

    @classmethod
    def setUpClass(cls):
        cls.server = TestServer()
        cls.dir = tempfile.mkdtemp(prefix="lueng-nodata-")

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()

    def check_same(self, thresholds, code, statuses):
        script = UNUSED_METRICS_SCRIPT.replace("THRESHOLDS", thresholds)
        run = run_lueng(script, ["-e", f"BASE_URL={self.server.base_url}", "-i", "3"])
        self.assertEqual(run.code, code, run.stderr)
        live = run.result["slos"]
        self.assertEqual([(r["slo"], r["status"]) for r in live["results"]], statuses)
        slo_path = os.path.join(self.dir, "slo.lua")
        with open(slo_path, "w") as f:
            f.write("return " + thresholds)
        done = lueng("validate", run.result_path, "--slo", slo_path, "--format", "json")
        self.assertEqual(done.returncode, code, done.stderr)
        offline = json.loads(done.stdout)
        for field in ("verdict", "exit_code", "met", "total", "compliance_percent"):
            self.assertEqual(offline[field], live[field], field)
        self.assertEqual([(r["slo"], r["status"], r["metric_type"], r["samples"], r["value"])
                          for r in offline["results"]],
                         [(r["slo"], r["status"], r["metric_type"], r["samples"], r["value"])
                          for r in live["results"]])
        return offline

    def test_allowed_empty_metrics_pass(self):
        self.check_same("""{
            never_time = { { "p(95)<100", allow_empty = true } },
            never_count = { { "count>0", allow_empty = true } },
            never_gauge = { { "value<1", priority = "P2", allow_empty = true } },
            http_reqs = "count==3",
        }""", 0, [("http_reqs", "PASS"), ("never_count", "NO DATA"), ("never_gauge", "NO DATA"),
                  ("never_time", "NO DATA")])

    def test_no_data_fails_at_its_priority(self):
        self.check_same("""{
            never_rate = { { "rate<0.1", priority = "P1" } },
            ["never_time{step:login}"] = { { "avg<100", priority = "P2" } },
            never_gauge = { { "value<1", allow_empty = true } },
        }""", 1, [("never_gauge", "NO DATA"), ("never_rate", "NO DATA"),
                  ("never_time{step:login}", "NO DATA")])
        self.check_same("""{
            never_count = { { "rate>1", priority = "P1" } },
            never_time = "p(99.9)<100",
        }""", 2, [("never_count", "NO DATA"), ("never_time", "NO DATA")])

    def test_a_metric_unknown_to_the_run_is_no_data_too(self):
        run = run_lueng(UNUSED_METRICS_SCRIPT.replace("THRESHOLDS", "nil"),
                        ["-e", f"BASE_URL={self.server.base_url}", "-i", "1"])
        self.assertEqual(run.code, 0, run.stderr)
        slo_path = os.path.join(self.dir, "other.lua")
        with open(slo_path, "w") as f:
            f.write("""return {
                checkout_time = { { "p(95)<500", priority = "P1" } },
                queue_depth = { { "value<10", allow_empty = true } },
                http_reqs = "count==1",
            }""")
        done = lueng("validate", run.result_path, "--slo", slo_path, "--format", "json")
        self.assertEqual(done.returncode, 1, done.stderr)
        report = json.loads(done.stdout)
        self.assertEqual(report["verdict"], "FAILED")
        self.assertEqual([(r["slo"], r["status"], r["metric_type"], r["value"])
                          for r in report["results"]],
                         [("checkout_time", "NO DATA", "trend", None),
                          ("http_reqs", "PASS", "counter", 1),
                          ("queue_depth", "NO DATA", "gauge", None)])
        ci = lueng("validate", run.result_path, "--slo", slo_path, "--ci")
        self.assertEqual(ci.returncode, 1, ci.stderr)
        self.assertIn("NO DATA checkout_time", ci.stdout)


if __name__ == "__main__":
    unittest.main()
