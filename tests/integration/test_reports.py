"""End-of-run reports (--out markdown=, junit=) from real runs against a real
server on loopback: the verdict, every SLO, the right JUnit failures as
junitparser reads them, text from scripts and servers escaped, and every
report written after an interrupt and after abort_on_fail."""

import json
import os
import subprocess
import tempfile
import unittest
import xml.etree.ElementTree as ET

from support import TestServer, interrupt, lueng, run_lueng, start_lueng, wait_for_requests

# Debian's python3-junitparser is installed for Debian's interpreter, which may
# not be the one running the tests.
JUNIT_READER = os.path.join(os.path.dirname(os.path.abspath(__file__)), "junit_reader.py")


def read_junit(path):
    """What junitparser reads from PATH, or (None, its complaint)."""
    done = subprocess.run(["/usr/bin/python3", JUNIT_READER, path], capture_output=True,
                          text=True, timeout=60)
    if done.returncode != 0:
        return None, done.stderr
    return json.loads(done.stdout), ""

# 20 requests: 15 to /hello (200), 5 to /status?code=500. The endpoint tag and a
# check name carry markup, as a hostile server or script could.
SCRIPT = """
local http = require "lueng.http"
local lueng = require "lueng"
options = {
  thresholds = {
    http_reqs = { "count==20" },
    http_req_failed = { { "rate<0.1", priority = "P1", description = "few failures" } },
    ["http_req_duration{endpoint:hello}"] = { { "p(95)<5000", warn = "p(95)<0.001" } },
    ["http_req_duration{endpoint:missing}"] = { "p(95)<100" },
    ["checks{check:status is 200}"] = { { "rate>0.99", priority = "P0" } },
  },
}
function default()
  local i = lueng.vu.iteration
  local res
  if i % 4 == 3 then
    res = http.get(ENV.BASE_URL .. "/status?code=500",
                   { tags = { endpoint = "broken<script>alert(1)</script>|x", name = "broken" } })
  else
    res = http.get(ENV.BASE_URL .. "/hello", { tags = { endpoint = "hello" } })
  end
  lueng.check(res, {
    ["status is 200"] = function(r) return r.status == 200 end,
    ["body <b>&amp;</b>"] = function(r) return true end,
  })
end
"""

SLOS = [
    ("http_reqs", "count==20", "PASS"),
    ("http_req_failed", "rate<0.1", "FAIL"),
    ("http_req_duration{endpoint:hello}", "p(95)<5000", "WARNING"),
    ("http_req_duration{endpoint:missing}", "p(95)<100", "NO DATA"),
    ("checks{check:status is 200}", "rate>0.99", "CRITICAL"),
]


class EndOfRunReportsTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = TestServer()
        cls.dir = tempfile.mkdtemp(prefix="lueng-reports-")
        cls.markdown = os.path.join(cls.dir, "report.md")
        cls.junit = os.path.join(cls.dir, "junit.xml")
        cls.locust = os.path.join(cls.dir, "live")
        cls.outcome = run_lueng(SCRIPT, ["-e", f"BASE_URL={cls.server.base_url}", "-u", "1", "-i", "20",
                                     "--out", f"markdown={cls.markdown}",
                                     "-o", f"junit={cls.junit}", "--csv", cls.locust])

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()

    def test_the_run_fails_critically(self):
        self.assertEqual(self.outcome.code, 2, self.outcome.stderr)
        statuses = {(s["slo"], s["expression"]): s["status"] for s in self.outcome.result["slos"]["results"]}
        self.assertEqual(statuses, {(slo, expr): status for slo, expr, status in SLOS})

    def test_markdown_opens_with_verdict_and_lists_every_slo(self):
        with open(self.markdown) as f:
            text = f.read()
        head = text[:400]
        self.assertIn("CRITICAL", head)
        self.assertIn("**Compliance:** 40.0% (2 of 5 SLOs met, critical)", head)
        self.assertLess(text.index("**Verdict:**"), text.index("### SLOs"))
        rows = [line for line in text.splitlines() if line.startswith("| ") and "`" in line
                and ("PASS" in line or "FAIL" in line or "WARNING" in line or "NO DATA" in line
                     or "CRITICAL" in line)]
        self.assertEqual(len(rows), len(SLOS), text)
        for slo, expression, status in SLOS:
            row = [r for r in rows if f"| `{slo}` |" in r]
            self.assertEqual(len(row), 1, slo)
            self.assertIn(f" {status} |", row[0])
            self.assertIn(f"`{expression}`", row[0])
        for section in ("### Key metrics", "### Endpoints", "### Checks"):
            self.assertIn(section, text)
        self.assertIn("| requests | 20 ", text)
        self.assertIn("`broken<script>alert(1)</script>\\|x`", text)  # a code span: inert

    def test_the_endpoint_table_goes_by_the_endpoint_tag_and_locust_by_name(self):
        # The reports' per-endpoint table: one row per method and endpoint tag.
        with open(self.markdown) as f:
            text = f.read()
        self.assertIn("| GET | `hello` | 15 | 0 |", text)
        self.assertIn("| GET | `broken<script>alert(1)</script>\\|x` | 5 | 5 |", text)
        self.assertRegex(self.outcome.stdout, r"\n     GET hello +15 +0 ")
        self.assertNotIn(f"GET {self.server.base_url}/hello", self.outcome.stdout)
        # Locust's stats go by the request name, as Locust's do: the URL when unset.
        with open(self.locust + "_stats.csv") as f:
            names = [row.split(",")[1] for row in f.read().splitlines()[1:]]
        self.assertEqual(names, ["broken", f"{self.server.base_url}/hello", "Aggregated"])

    def test_junit_has_a_case_per_slo_and_check_with_the_right_failures(self):
        root = ET.parse(self.junit).getroot()
        self.assertEqual(root.tag, "testsuites")
        suites = {s.get("name"): s for s in root.findall("testsuite")}
        slo_suite = suites["lueng.slos"]
        cases = {c.get("name"): c for c in slo_suite.findall("testcase")}
        self.assertEqual(set(cases), {f"{slo}: {expr}" for slo, expr, _ in SLOS})
        for slo, expression, status in SLOS:
            failure = cases[f"{slo}: {expression}"].find("failure")
            if status in ("FAIL", "CRITICAL", "NO DATA"):
                self.assertIsNotNone(failure, slo)
                self.assertEqual(failure.get("type"), status)
            else:
                self.assertIsNone(failure, slo)
        failed = cases["http_req_failed: rate<0.1"].find("failure")
        self.assertIn("rate=0.25", failed.get("message"))
        self.assertIn("rate<0.1", failed.get("message"))
        self.assertEqual(slo_suite.get("tests"), "5")
        self.assertEqual(slo_suite.get("failures"), "3")

        check_suite = suites["lueng.checks"]
        checks = {c.get("name"): c for c in check_suite.findall("testcase")}
        self.assertEqual(set(checks), {"status is 200", "body <b>&amp;</b>"})
        self.assertIn("5 of 20 failed", checks["status is 200"].find("failure").get("message"))
        self.assertIsNone(checks["body <b>&amp;</b>"].find("failure"))
        self.assertEqual(root.get("failures"), "4")

    def test_junitparser_reads_the_report_with_consistent_totals(self):
        report, complaint = read_junit(self.junit)
        self.assertIsNotNone(report, complaint)
        self.assertEqual(report["root"], "testsuites")
        self.assertEqual((report["tests"], report["failures"], report["errors"]), (7, 4, 0))
        suites = {s["name"]: s for s in report["suites"]}
        self.assertEqual(set(suites), {"lueng.slos", "lueng.checks"})
        cases = {c["name"]: c for c in suites["lueng.slos"]["cases"]}
        for slo, expression, status in SLOS:
            results = cases[f"{slo}: {expression}"]["results"]
            if status in ("FAIL", "CRITICAL", "NO DATA"):
                self.assertEqual([(r["kind"], r["type"]) for r in results], [("failure", status)])
            else:
                self.assertEqual(results, [], slo)
        self.assertEqual(cases["http_req_failed: rate<0.1"]["classname"], "lueng.slo.P1")
        self.assertIn("rate=0.25 misses rate<0.1",
                      cases["http_req_failed: rate<0.1"]["results"][0]["message"])
        checks = {c["name"]: c for c in suites["lueng.checks"]["cases"]}
        self.assertEqual(checks["status is 200"]["results"][0]["message"], "5 of 20 failed (15 passed)")

    def test_junitparser_rejects_a_malformed_report(self):
        # The reader above is a real check: each broken copy of the report fails it.
        with open(self.junit) as f:
            good = f.read()
        broken = {
            "truncated": good[:len(good) // 2],
            "another root": good.replace("<testsuites ", "<report ").replace("</testsuites>", "</report>"),
            "a wrong count": good.replace('tests="5"', 'tests="4"', 1),
            "a time that is no number": good.replace('time="', 'time="x', 1),
        }
        for what, text in broken.items():
            with self.subTest(what):
                path = os.path.join(self.dir, "broken.xml")
                with open(path, "w") as f:
                    f.write(text)
                report, complaint = read_junit(path)
                self.assertIsNone(report)
                self.assertTrue(complaint)

    def test_lueng_report_renders_the_same_files_from_the_result_file(self):
        result_path = os.path.join(self.dir, "result.json")
        with open(result_path, "w") as f:
            json.dump(self.outcome.result, f)
        markdown = os.path.join(self.dir, "offline.md")
        junit = os.path.join(self.dir, "offline.xml")
        done = lueng("report", result_path, "--markdown", markdown, "--junit", junit,
                     "--csv", os.path.join(self.dir, "offline"))
        self.assertEqual(done.returncode, 0, done.stderr)
        with open(os.path.join(self.dir, "offline_stats.csv")) as f:
            rows = f.read().splitlines()
        self.assertTrue(rows[0].startswith("Type,Name,Request Count"), rows[0])
        self.assertEqual(len(rows), 4)  # header, two endpoints, Aggregated
        pairs = [(self.markdown, markdown), (self.junit, junit)]
        pairs += [(self.locust + suffix, os.path.join(self.dir, "offline" + suffix))
                  for suffix in ("_stats.csv", "_stats_history.csv", "_failures.csv")]
        for live, offline in pairs:
            with open(live) as a, open(offline) as b:
                self.assertEqual(a.read(), b.read(), offline)

    def test_lueng_report_errors(self):
        done = lueng("report", os.path.join(self.dir, "nothing.json"), "--markdown", "x.md")
        self.assertEqual(done.returncode, 104)
        self.assertIn("nothing.json", done.stderr)
        done = lueng("report", self.markdown)
        self.assertEqual(done.returncode, 104)
        self.assertIn("nothing to write", done.stderr)

    def test_unknown_output_kind_is_a_usage_error(self):
        run = run_lueng(SCRIPT, ["-u", "1", "-i", "1", "--out", "pdf=x.pdf"])
        self.assertEqual(run.code, 104)
        self.assertIn("unknown kind 'pdf'", run.stderr)
        self.assertIn("markdown", run.stderr)


LONG_RUN = """
local http = require "lueng.http"
options = {
  vus = 2, duration = "60s",
  thresholds = { http_req_duration = { { "p(95)<%s", abort_on_fail = %s } } },
}
function default()
  http.get(ENV.BASE_URL .. "/hello", { tags = { endpoint = "hello" } })
  require("lueng").sleep(0.02)
end
"""


class ReportsOfAStoppedRunTest(unittest.TestCase):
    """A 60 s test stopped early, by Ctrl-C or by abort_on_fail, still writes
    every end-of-run report, covering the part that ran."""

    @classmethod
    def setUpClass(cls):
        cls.server = TestServer()

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()

    def outputs(self, directory):
        return {kind: os.path.join(directory, name) for kind, name in
                (("html", "report.html"), ("markdown", "report.md"), ("junit", "junit.xml"))}

    def check_reports(self, files, requests, verdict, exit_line, alert, junit_tests=1):
        with open(files["markdown"]) as f:
            markdown = f.read()
        self.assertIn(f"**Verdict:** {verdict}", markdown)
        self.assertIn(exit_line, markdown)
        self.assertIn(f"| requests | {requests} ", markdown)
        with open(files["html"]) as f:
            page = f.read()
        self.assertTrue(page.rstrip().endswith("</html>"))
        self.assertIn('id="verdict"', page)
        self.assertIn(verdict.split()[0], page)
        self.assertIn(f'<p class="alert">{alert}', page)
        report, complaint = read_junit(files["junit"])
        self.assertIsNotNone(report, complaint)
        self.assertEqual(report["tests"], junit_tests)
        return report

    def test_an_interrupt_writes_every_report(self):
        directory = tempfile.mkdtemp(prefix="lueng-reports-int-")
        files = self.outputs(directory)
        script = os.path.join(directory, "long.lua")
        with open(script, "w") as f:
            f.write(LONG_RUN % ("5000", "false"))
        result_path = os.path.join(directory, "result.json")
        self.server.reset()
        process = start_lueng(
            ["--quiet", "-e", f"BASE_URL={self.server.base_url}",
             "--summary-export", result_path, *[a for kind, path in files.items()
                                               for a in ("--out", f"{kind}={path}")], script])
        wait_for_requests(self.server, 20)
        _, stderr = interrupt(process)
        self.assertEqual(process.returncode, 105, stderr)
        with open(result_path) as f:
            result = json.load(f)
        self.assertTrue(result["interrupted"])
        requests = int(result["metrics"]["http_reqs"]["values"]["count"])
        self.assertGreaterEqual(requests, 20)
        report = self.check_reports(files, requests, "PASSED", "**Exit status:** 105 (interrupted: SIGINT)",
                                    "Interrupted (SIGINT): the numbers cover the part that ran.",
                                    junit_tests=2)
        # The SLO passed, but a CI reading JUnit must not see an interrupted run green.
        self.assertEqual(report["failures"], 1)
        [run_case] = [case for suite in report["suites"] if suite["name"] == "lueng.run"
                      for case in suite["cases"]]
        self.assertEqual(run_case["name"], "exit status 105")
        self.assertIn("interrupted: SIGINT", run_case["results"][0]["message"])

    def test_abort_on_fail_writes_every_report(self):
        directory = tempfile.mkdtemp(prefix="lueng-reports-abort-")
        files = self.outputs(directory)
        run = run_lueng(LONG_RUN % ("0.001", "true"),
                        ["-e", f"BASE_URL={self.server.base_url}",
                         *[a for kind, path in files.items() for a in ("--out", f"{kind}={path}")]],
                        timeout=90)
        self.assertEqual(run.code, 2, run.stderr)
        self.assertLess(run.result["duration_seconds"], 30)
        requests = int(run.metric("http_reqs")["count"])
        report = self.check_reports(files, requests, "ABORTED", "**Exit status:** 2",
                                    "Aborted by abort_on_fail of ")
        case = report["suites"][0]["cases"][0]
        self.assertEqual([(r["kind"], r["type"]) for r in case["results"]], [("failure", "CRITICAL")])


if __name__ == "__main__":
    unittest.main()
