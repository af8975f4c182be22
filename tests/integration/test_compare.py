"""lueng compare and lueng run --baseline on real runs against three hotel-mocks:
two whose latency differs by 50% (600 ms and 900 ms) and one that fails 30% of
its requests. The latency, throughput and error-rate regressions are flagged
(exit 1), an identical pair and an improvement pass (exit 0)."""

import json
import os
import tempfile
import unittest

from support import lueng, run_lueng
from test_hotel_mock import Mock

SCRIPT = """
local http = require "lueng.http"
local lueng = require "lueng"
function default()
  http.get(ENV.BASE_URL .. "/api/v1/pms/room-types", { tags = { endpoint = "room_types" } })
  lueng.sleep(0.01)
end
"""


def load(mock, result_path, *extra):
    run = run_lueng(SCRIPT, ["-e", f"BASE_URL=http://127.0.0.1:{mock.port}", "-u", "8", "-d", "3s",
                             *extra])
    if result_path:
        with open(result_path, "w") as f:
            json.dump(run.result, f)
    return run


class CompareTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.dir = tempfile.mkdtemp(prefix="lueng-compare-")
        cls.fast = os.path.join(cls.dir, "fast.json")
        cls.slow = os.path.join(cls.dir, "slow.json")
        cls.failing = os.path.join(cls.dir, "failing.json")
        cls.fast_mock = Mock("--latency", "room_types=600ms")
        cls.slow_mock = Mock("--latency", "room_types=900ms")
        failing_mock = Mock("--latency", "room_types=600ms", "--error-rate", "0.3")
        load(cls.fast_mock, cls.fast)
        load(cls.slow_mock, cls.slow)
        load(failing_mock, cls.failing)
        failing_mock.stop()

    @classmethod
    def tearDownClass(cls):
        cls.fast_mock.stop()
        cls.slow_mock.stop()

    def compare_json(self, baseline, current, *extra):
        done = lueng("compare", baseline, current, "--format", "json", *extra)
        return done.returncode, json.loads(done.stdout)

    def test_a_50_percent_latency_regression_fails(self):
        code, report = self.compare_json(self.fast, self.slow)
        self.assertEqual(code, 1)
        self.assertTrue(report["regression"])
        rows = {(r["endpoint"], r["metric"]): r for r in report["rows"]}
        endpoint = "GET /api/v1/pms/room-types"  # the same endpoint on two ports
        for scope in (None, endpoint):
            # 600 ms against 900 ms at the server: the stalls of a busy machine
            # (up to a few hundred ms under a parallel test run) hide neither the
            # regression nor, the other way round, the improvement.
            row = rows[(scope, "p(50)")]
            self.assertTrue(row["regression"], row)
            self.assertGreater(row["delta_percent"], 10, row)
            self.assertGreater(rows[(scope, "p(95)")]["delta_percent"], 0)
            self.assertFalse(rows[(scope, "error rate")]["regression"])
            # 8 VUs waiting 50% longer per request make about a third fewer.
            throughput = rows[(scope, "req/s")]
            self.assertTrue(throughput["regression"], throughput)
            self.assertLess(throughput["delta_percent"], -10, throughput)
            for ungated in ("requests", "avg", "max"):
                self.assertFalse(rows[(scope, ungated)]["gated"])
                self.assertFalse(rows[(scope, ungated)]["regression"])
        self.assertEqual(report["only_in_baseline"], [])
        self.assertEqual(report["tolerance_percent"], 10)

    def test_an_error_rate_regression_fails(self):
        code, report = self.compare_json(self.fast, self.failing)
        self.assertEqual(code, 1)
        rows = {(r["endpoint"], r["metric"]): r for r in report["rows"]}
        row = rows[(None, "error rate")]
        self.assertEqual(row["baseline"], 0)
        self.assertGreater(row["current"], 0.1)
        self.assertIsNone(row["delta_percent"])  # nothing to divide by
        self.assertTrue(row["regression"], row)
        # The other way round the error rate falls: no error-rate regression.
        code, report = self.compare_json(self.failing, self.fast)
        rows = {(r["endpoint"], r["metric"]): r for r in report["rows"]}
        self.assertFalse(rows[(None, "error rate")]["regression"])

    def test_tolerance_forms(self):
        for text, percent, expected in (("10%", 10, 1), ("10", 10, 1), ("500", 500, 0),
                                        ("500%", 500, 0), ("2.5%", 2.5, 1)):
            with self.subTest(text):
                code, report = self.compare_json(self.fast, self.slow, "--tolerance", text)
                self.assertEqual(report["tolerance_percent"], percent)
                self.assertEqual(code, expected)
        for bad in ("ten", "-5%", "%", ""):
            with self.subTest(bad):
                done = lueng("compare", self.fast, self.slow, "--tolerance", bad)
                self.assertEqual(done.returncode, 104, done.stdout)
                self.assertIn("--tolerance", done.stderr)

    def test_an_identical_pair_passes(self):
        code, report = self.compare_json(self.fast, self.fast)
        self.assertEqual(code, 0)
        self.assertFalse(report["regression"])
        self.assertTrue(all(r["delta_percent"] in (0, None) for r in report["rows"]))

    def test_an_improvement_passes_and_a_wide_tolerance_forgives(self):
        self.assertEqual(self.compare_json(self.slow, self.fast)[0], 0)
        self.assertEqual(self.compare_json(self.fast, self.slow, "--tolerance", "500%")[0], 0)

    def test_console_and_markdown(self):
        done = lueng("compare", self.fast, self.slow)
        self.assertEqual(done.returncode, 1)
        self.assertIn("REGRESSION", done.stdout)
        self.assertIn("GET /api/v1/pms/room-types", done.stdout)
        done = lueng("compare", self.fast, self.slow, "--format", "markdown")
        self.assertTrue(done.stdout.startswith("## ❌ REGRESSION"), done.stdout[:200])
        self.assertIn("| all requests | p(95) |", done.stdout)

    def test_run_with_a_baseline_prints_the_comparison(self):
        run = load(self.slow_mock, None, "--baseline", self.fast)
        self.assertEqual(run.code, 0, run.stderr)  # no SLOs: the comparison informs
        self.assertIn(f"baseline: {self.fast}", run.stdout)
        self.assertIn("REGRESSION", run.stdout)

    def test_bad_arguments(self):
        done = lueng("compare", self.fast, self.slow, "--tolerance", "ten")
        self.assertEqual(done.returncode, 104)
        self.assertIn("--tolerance", done.stderr)
        done = lueng("compare", self.fast, os.path.join(self.dir, "missing.json"))
        self.assertEqual(done.returncode, 104)
        self.assertIn("missing.json", done.stderr)
        run = run_lueng(SCRIPT, ["-u", "1", "-i", "1", "--baseline", os.path.join(self.dir, "no.json")])
        self.assertEqual(run.code, 104)
        self.assertIn("no.json", run.stderr)


if __name__ == "__main__":
    unittest.main()
