"""The `make perf-*` targets (tools/perf.sh) against the hotel mock, time-scaled: each
run leaves the result file, the summary and the HTML, Markdown and JUnit reports in
PERF_DIR under the guides' names and says where; baselines are kept per scenario;
compare exits 1 on a regression; report renders the reports again; health checks the
target; make's targets call these commands."""

import glob
import json
import os
import re
import shutil
import subprocess
import tempfile
import unittest
import xml.etree.ElementTree as ET

from hotel_support import MP_SECRET, VERIFY_TOKEN, WHATSAPP_SECRET, MockCase
from support import LUENG, SOURCE_DIR

PERF = os.path.abspath(os.path.join(SOURCE_DIR, "tools", "perf.sh"))
SECRETS = (f"-e WHATSAPP_SECRET={WHATSAPP_SECRET} -e MP_SECRET={MP_SECRET} "
           f"-e VERIFY_TOKEN={VERIFY_TOKEN} -q")
STAMPED = r"\d{8}T\d{6}Z"


class PerfTargetsTest(MockCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="lueng-perf-")
        self.addCleanup(shutil.rmtree, self.dir, True)

    def perf(self, mock, *args, time_scale="0.05", env=None):
        environment = {**os.environ, "LUENG": LUENG, "PERF_DIR": self.dir,
                       "BASE_URL": f"http://127.0.0.1:{mock.port}" if mock else "http://127.0.0.1:9",
                       "PERF_ARGS": f"-e TIME_SCALE={time_scale} {SECRETS}", **(env or {})}
        done = subprocess.run([PERF, *args], capture_output=True, text=True, timeout=120,
                              cwd=SOURCE_DIR, env=environment)
        return done.returncode, done.stdout + done.stderr

    def files(self, pattern):
        return sorted(glob.glob(os.path.join(self.dir, pattern)))

    def test_a_run_writes_every_report_under_the_guides_names_and_says_where(self):
        mock = self.start_mock()
        code, out = self.perf(mock, "run", "smoke")
        self.assertEqual(code, 0, out)
        [result] = self.files("results-smoke-*.json")
        stem = re.fullmatch(rf".*/results-(smoke-{STAMPED})\.json", result).group(1)
        expected = [f"results-{stem}.json", f"summary-{stem}.txt", f"summary-{stem}.html",
                    f"results-{stem}.md", "results-smoke-latest.md", f"junit-{stem}.xml"]
        for name in expected:
            path = os.path.join(self.dir, name)
            self.assertTrue(os.path.getsize(path) > 0, name)
            self.assertIn(path, out, "every file is named in the output")
        with open(result) as f:
            self.assertEqual(json.load(f)["slos"]["exit_code"], 0)
        with open(os.path.join(self.dir, f"summary-{stem}.txt")) as f:
            self.assertIn("verdict:", f.read())
        with open(os.path.join(self.dir, f"summary-{stem}.html")) as f:
            self.assertIn("<html", f.read())
        ET.parse(os.path.join(self.dir, f"junit-{stem}.xml"))
        with open(os.path.join(self.dir, "summary.md")) as a, \
                open(os.path.join(self.dir, f"results-{stem}.md")) as b:
            self.assertEqual(a.read(), b.read())
        # perf-report renders them again from the result file alone.
        for name in (f"summary-{stem}.html", f"results-{stem}.md", f"junit-{stem}.xml"):
            os.remove(os.path.join(self.dir, name))
        code, out = self.perf(None, "report", "smoke")
        self.assertEqual(code, 0, out)
        for name in (f"summary-{stem}.html", f"results-{stem}.md", f"junit-{stem}.xml"):
            self.assertTrue(os.path.exists(os.path.join(self.dir, name)), name)
        code, out = self.perf(None, "validate", "smoke")
        self.assertEqual(code, 0, out)
        self.assertIn(result, out)

    def test_baselines_are_kept_per_scenario_and_compare_finds_a_regression(self):
        fast = self.start_mock()
        code, out = self.perf(fast, "baseline", "smoke", "spike", time_scale="0.02")
        self.assertIn(code, (0, 1), out)
        for scenario in ("smoke", "spike"):
            with open(os.path.join(self.dir, f"baseline-{scenario}.json")) as f:
                self.assertEqual(json.load(f)["script"], f"scripts/{scenario}.lua")
        with open(os.path.join(self.dir, "baseline-report.md")) as f:
            report = f.read()
        self.assertIn("# Baseline: smoke", report)
        self.assertIn("# Baseline: spike", report)
        # A newer spike run does not make the smoke one comparable: nothing to compare
        # for smoke until smoke runs again.
        code, out = self.perf(None, "compare", "smoke")
        self.assertEqual(code, 104, out)
        self.assertIn("nothing to compare", out)
        # Against a target 30 times slower, smoke's latency regresses: exit 1.
        slow = self.start_mock("--latency", "default=30ms")
        code, out = self.perf(slow, "run", "smoke")
        code, out = self.perf(None, "compare")
        self.assertEqual(code, 1, out)
        self.assertIn("smoke", out)
        self.assertTrue(os.path.getsize(os.path.join(self.dir, "compare-smoke.md")) > 0)

    def test_health_checks_the_target_and_its_path_is_configurable(self):
        mock = self.start_mock()
        code, out = self.perf(mock, "health")
        self.assertEqual(code, 0, out)
        self.assertIn("/health/live answers 200", out)
        code, out = self.perf(mock, "health", env={"HEALTH_PATH": "/health/ready"})
        self.assertEqual(code, 0, out)
        code, out = self.perf(mock, "health", env={"HEALTH_PATH": "/api/v1/healthz",
                                                   "HEALTH_WAIT": "1"})
        self.assertEqual(code, 1, out)
        self.assertIn("not ready", out)
        code, out = self.perf(None, "health", env={"HEALTH_WAIT": "0"})
        self.assertEqual(code, 1, out)

    def test_usage_errors(self):
        self.assertEqual(self.perf(None, "run", "nosuch")[0], 104)
        self.assertEqual(self.perf(None, "validate")[0], 104)
        self.assertEqual(self.perf(None, "frobnicate")[0], 104)

    def test_make_targets_call_perf_sh(self):
        targets = {"perf-smoke": "run smoke", "perf-soak": "run soak", "perf-validate": "validate",
                   "perf-baseline": "baseline smoke load", "perf-compare": "compare",
                   "perf-report": "report", "perf-health": "health",
                   "perf-locust-peak": "run locust-peak"}
        for target, command in targets.items():
            done = subprocess.run(["make", "-n", "--no-print-directory", target], cwd=SOURCE_DIR,
                                  capture_output=True, text=True, timeout=60)
            self.assertEqual(done.returncode, 0, done.stderr)
            self.assertIn(f"tools/perf.sh {command}", done.stdout, target)
        done = subprocess.run(["make", "-n", "perf-gate", "SCENARIO=smoke"], cwd=SOURCE_DIR,
                              capture_output=True, text=True, timeout=60)
        self.assertIn("tools/perf-gate.sh run smoke", done.stdout)
        # make demo builds lueng and the mock only, not the test suite.
        done = subprocess.run(["make", "-n", "demo"], cwd=SOURCE_DIR, capture_output=True,
                              text=True, timeout=60)
        self.assertIn("--target lueng hotel-mock", done.stdout)


if __name__ == "__main__":
    unittest.main()
