"""The migration bridge and k6's output layouts: `lueng validate` on k6's own
JSON stream and summary export (fixtures under tests/fixtures/k6 in k6's exact
layout), `--out k6-summary=FILE` read with the jq paths k6 users have, and the
JSON stream's k6 details (per-iteration data_sent/data_received, tagged vus,
abortOnFail thresholds in k6's object form)."""

import hashlib
import json
import math
import os
import subprocess
import tempfile
import unittest

from support import LUENG, ServerCase, lueng

FIXTURES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "fixtures", "k6")
STREAM = os.path.join(FIXTURES, "k6-out.json")
SUMMARY = os.path.join(FIXTURES, "k6-summary-export.json")


def k6_percentile(values, p):
    """k6's TrendSink percentile: linear between the closest ranks."""
    values = sorted(values)
    i = p * (len(values) - 1)
    lower = values[int(math.floor(i))]
    upper = values[min(int(math.floor(i)) + 1, len(values) - 1)]
    return lower + (upper - lower) * (i - math.floor(i))


def stream_points(path, metric):
    with open(path) as f:
        lines = [json.loads(line) for line in f if line.strip()]
    return [l["data"] for l in lines if l["type"] == "Point" and l["metric"] == metric]


def validate_json(*args):
    done = lueng("validate", *args, "--format", "json")
    report = json.loads(done.stdout)
    return done, {(r["slo"], r["expression"]): r for r in report["results"]}, report


class ValidateK6OutputsTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.dir = tempfile.mkdtemp(prefix="lueng-k6-bridge-")

    def slo_file(self, text):
        path = os.path.join(self.dir, "slo.lua")
        with open(path, "w") as f:
            f.write(text)
        return path

    def test_the_k6_stream_is_judged_by_its_own_thresholds_as_k6_judged_it(self):
        done, results, report = validate_json(STREAM)
        # k6's verdicts (the summary export of the same run says which failed).
        with open(SUMMARY) as f:
            k6 = json.load(f)["metrics"]
        for (slo, expression), result in results.items():
            failed = k6[slo]["thresholds"][expression]
            self.assertEqual(result["status"] != "PASS", failed, (slo, expression, result))
        self.assertEqual(done.returncode, 2, done.stderr)  # P0 misses: CRITICAL
        self.assertEqual(report["verdict"], "CRITICAL")
        durations = [p["value"] for p in stream_points(STREAM, "http_req_duration")]
        p99 = results[("http_req_duration", "p(99)<1500")]
        self.assertAlmostEqual(p99["value"], k6_percentile(durations, 0.99), delta=0.01 * 600)
        self.assertEqual(p99["samples"], len(durations))
        self.assertEqual(results[("checks", "rate>0.9")]["value"], 0.8)

    def test_lueng_tiers_and_selectors_apply_to_a_k6_stream(self):
        slo = self.slo_file("""return {
  http_req_failed = { { "rate<0.2", warn = "rate<0.05", priority = "P1" } },
  ["http_req_duration{group:::api}"] = { { "p(90)<600", priority = "P2" } },
  ["http_req_duration{status:503}"] = "max<1000",
  data_received = "count>0",
  vus = "value==2",
  missing_metric = { { "count>0", allow_empty = true } },
}""")
        done, results, report = validate_json(STREAM, "--slo", slo)
        self.assertEqual(done.returncode, 0, done.stderr)
        self.assertEqual(results[("http_req_failed", "rate<0.2")]["status"], "WARNING")
        self.assertEqual(report["verdict"], "PASSED WITH WARNINGS")
        api = [p["value"] for p in stream_points(STREAM, "http_req_duration")
               if p["tags"]["group"] == "::api"]
        measured = results[("http_req_duration{group:::api}", "p(90)<600")]
        self.assertAlmostEqual(measured["value"], k6_percentile(api, 0.9), delta=0.01 * 600)
        received = sum(p["value"] for p in stream_points(STREAM, "data_received"))
        self.assertEqual(results[("data_received", "count>0")]["value"], received)
        self.assertEqual(results[("missing_metric", "count>0")]["status"], "NO DATA")

    def test_the_k6_summary_export_is_judged_with_k6s_own_numbers(self):
        with open(SUMMARY) as f:
            k6 = json.load(f)["metrics"]
        done, results, report = validate_json(SUMMARY)
        self.assertEqual(done.returncode, 2, done.stderr)
        for (slo, expression), result in results.items():
            if expression == "p(99)<1500":
                # Not among k6's summaryTrendStats: NO DATA, k6's verdict quoted.
                self.assertEqual(result["status"], "NO DATA")
                continue
            self.assertEqual(result["status"] != "PASS", k6[slo]["thresholds"][expression])
        self.assertIn("the k6 summary lists no 'p(99)' for http_req_duration", done.stderr)
        self.assertIn("k6 judged it passed", done.stderr)
        # The statistics are k6's, exactly.
        self.assertEqual(results[("http_req_duration", "p(95)<500")]["value"],
                         k6["http_req_duration"]["p(95)"])
        self.assertEqual(results[("http_req_duration{group:::api}", "avg<400")]["value"],
                         k6["http_req_duration{group:::api}"]["avg"])

    def test_the_k6_summary_export_with_an_slo_file_and_ci_lines(self):
        slo = self.slo_file("""return {
  http_req_duration = { { "p(95)<600", warn = "p(90)<400" } },
  http_reqs = "rate>1",
  checks = { { "rate>0.7", priority = "P2" } },
  vus_max = "value==2",
}""")
        done = lueng("validate", SUMMARY, "--slo", slo, "--ci")
        self.assertEqual(done.returncode, 0, done.stdout + done.stderr)
        self.assertIn("verdict: PASSED WITH WARNINGS (exit 0), compliance 100.0%", done.stdout)

    def test_what_is_not_k6_output_is_read_as_a_lueng_result_and_refused(self):
        bad = os.path.join(self.dir, "bad.json")
        with open(bad, "w") as f:
            f.write('{"metric":"http_reqs","type":"Point","data":{"time":"x","value":1,"tags":{}}}\n')
        done = lueng("validate", bad)
        self.assertEqual(done.returncode, 104)
        self.assertIn("line 1: a Point of 'http_reqs' before its Metric line", done.stderr)


class K6LayoutsFromLuengTest(ServerCase):
    SCRIPT = """
local http = require "lueng.http"
local lueng = require "lueng"
options = {
  tags = { team = "checkout" },
  summaryTrendStats = { "avg", "max", "p(95)", "p(99.9)", "count" },
  thresholds = {
    http_req_duration = { "p(95)<5000", { threshold = "max<60000", abortOnFail = true, delayAbortEval = "90s" } },
    http_req_failed = "rate<0.01",
    checks = "rate==1",
  },
}
function default()
  http.get(ENV.BASE_URL .. "/hello")
  lueng.group("api", function()
    local res = http.get(ENV.BASE_URL .. "/hello")
    lueng.check(res, { ["status is 200"] = function(r) return r.status == 200 end })
  end)
end
"""

    def run_with_outputs(self, *extra):
        work = tempfile.mkdtemp(prefix="lueng-k6-layouts-")
        summary = os.path.join(work, "k6-summary.json")
        stream = os.path.join(work, "out.json")
        run = self.run_script(self.SCRIPT, "-u", "2", "-i", "10", "--out", f"k6-summary={summary}",
                              "--out", f"json={stream}", *extra)
        self.assertEqual(run.code, 0, run.stdout + run.stderr)
        return run, summary, stream

    def test_k6_summary_has_k6s_jq_paths_and_validate_reads_it_back(self):
        run, summary_path, stream_path = self.run_with_outputs()
        with open(summary_path) as f:
            text = f.read()
        summary = json.loads(text)
        self.assertTrue(text.startswith('{\n    "root_group": {\n        "name": "",'), text[:80])
        self.assertEqual(set(summary), {"root_group", "metrics"})
        metrics = summary["metrics"]
        duration = metrics["http_req_duration"]
        self.assertEqual(list(duration), ["avg", "max", "p(95)", "p(99.9)", "count", "thresholds"])
        self.assertEqual(duration["count"], 20)  # -u 2 -i 10: 10 iterations, 2 requests each
        self.assertEqual(duration["thresholds"], {"p(95)<5000": False, "max<60000": False})
        self.assertEqual(metrics["checks"]["value"], 1)
        self.assertEqual((metrics["checks"]["passes"], metrics["checks"]["fails"]), (10, 0))
        self.assertEqual(metrics["http_reqs"]["count"], 20)
        self.assertGreater(metrics["http_reqs"]["rate"], 0)
        self.assertEqual(metrics["http_req_failed"]["value"], 0)
        self.assertEqual(metrics["http_req_failed"]["thresholds"], {"rate<0.01": False})
        self.assertEqual(metrics["vus_max"]["max"], 2)
        self.assertIn("http_req_duration{expected_response:true}", metrics)
        self.assertEqual(metrics["data_sent"]["count"],
                         run.result["metrics"]["data_sent"]["values"]["count"])
        root = summary["root_group"]
        self.assertEqual((root["path"], root["id"]), ("", hashlib.md5(b"").hexdigest()))
        api = root["groups"]["api"]
        self.assertEqual((api["path"], api["id"]), ("::api", hashlib.md5(b"::api").hexdigest()))
        check = api["checks"]["status is 200"]
        self.assertEqual(check, {"name": "status is 200", "path": "::api::status is 200",
                                 "id": hashlib.md5(b"::api::status is 200").hexdigest(),
                                 "passes": 10, "fails": 0})
        # The bridge reads lueng's k6 layouts back as it reads k6's.
        for path in (summary_path, stream_path):
            done, results, report = validate_json(path)
            self.assertEqual(done.returncode, 0, done.stdout + done.stderr)
            self.assertEqual(report["verdict"], "PASSED")
            self.assertEqual(len(results), 4)
        # lueng report renders it from the result file too, the same numbers.
        again = os.path.join(os.path.dirname(summary_path), "again.json")
        self.assertEqual(lueng("report", run.result_path, "--k6-summary", again).returncode, 0)
        with open(again) as f:
            self.assertEqual(json.load(f)["metrics"]["http_req_duration"]["count"], 20)

    def test_json_stream_details_as_k6_emits_them(self):
        run, _, stream_path = self.run_with_outputs()
        with open(stream_path) as f:
            lines = [json.loads(line) for line in f]
        metric_lines = {l["metric"]: l["data"] for l in lines if l["type"] == "Metric"}
        self.assertEqual(metric_lines["http_req_duration"]["thresholds"], [
            "p(95)<5000", {"threshold": "max<60000", "abortOnFail": True, "delayAbortEval": "1m30s"}])
        # data_sent and data_received: one point per iteration, with the iteration's tags.
        sent = [l["data"] for l in lines if l["type"] == "Point" and l["metric"] == "data_sent"]
        iterations = [l["data"] for l in lines if l["type"] == "Point" and l["metric"] == "iterations"]
        self.assertEqual(len(sent), len(iterations))
        self.assertEqual(len(sent), 10)
        for point in sent:
            self.assertEqual(point["tags"], {"group": "", "scenario": "default", "team": "checkout"})
            self.assertGreater(point["value"], 0)
        totals = run.result["metrics"]
        self.assertEqual(sum(p["value"] for p in sent), totals["data_sent"]["values"]["count"])
        received = [l["data"]["value"] for l in lines
                    if l["type"] == "Point" and l["metric"] == "data_received"]
        self.assertEqual(sum(received), totals["data_received"]["values"]["count"])
        self.assertEqual(sum(received), sum(p["data_received"] for p in run.result["time_series"]))
        # vus and vus_max carry the test-wide tags.
        vus = [l["data"] for l in lines if l["type"] == "Point" and l["metric"] == "vus"]
        self.assertTrue(vus)
        for point in vus:
            self.assertEqual(point["tags"], {"team": "checkout"})
        # k6's field order and Go's RFC3339Nano time (no trailing zeros).
        with open(stream_path) as f:
            point_text = next(line for line in f if '"Point"' in line)
        self.assertTrue(point_text.startswith('{"metric":'), point_text)
        self.assertNotRegex(point_text, r'"time":"[^"]*0Z"')

    def test_json_to_standard_output_with_a_dash(self):
        work = tempfile.mkdtemp(prefix="lueng-k6-stdout-")
        script = os.path.join(work, "s.lua")
        with open(script, "w") as f:
            f.write('local m = require("lueng.metrics").Counter("hits")\n'
                    'function default() m:add("2.5") end\n')
        done = subprocess.run([LUENG, "run", "--quiet", "-i", "2", "--out", "json=-", script],
                              capture_output=True, text=True, timeout=60)
        self.assertEqual(done.returncode, 0, done.stderr)
        hits = [json.loads(line) for line in done.stdout.splitlines()
                if line.startswith('{"metric":"hits"')]
        # metric:add("2.5") counts 2.5, as k6's add() converts a numeric string.
        self.assertEqual([h["data"]["value"] for h in hits], [2.5, 2.5])


if __name__ == "__main__":
    unittest.main()
