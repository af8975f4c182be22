"""`lueng merge` on result files of real runs against the hotel mock: merged
totals are the sums, merged percentiles those of one histogram of every sample,
the verdict and exit status those of one run of the whole test; files of
different scripts or the same segment are refused (104), a missing segment is
warned about and recorded; validate, report and compare read the merged file.

MergeTest: two real unsegmented runs of a shared-iterations script stand for
two instances (their `execution_segment` set here to 0:1/2 and 1/2:1), so the
merged verdict can be compared with one run of both together and the refusals
be made from real files. SegmentedRunsTest: three real instances run with
--segment-index/--segment-count and merged, against one whole run."""

import hashlib
import json
import math
import os
import shutil
import tempfile
import unittest

from hotel_support import start_mock
from support import lueng, run_lueng

ITERATIONS = 24  # per instance
SCRIPT = f"""
local http = require "lueng.http"
local lueng = require "lueng"
options = {{
  scenarios = {{ shared = {{ executor = "shared-iterations", vus = tonumber(ENV.VUS),
                             iterations = tonumber(ENV.ITERATIONS), maxDuration = "20s" }} }},
  thresholds = {{
    -- Each instance alone stays under it; the whole test does not.
    http_reqs = {{ {{ "count<{ITERATIONS * 3 // 2}", priority = "P1" }} }},
    http_req_duration = {{ "p(95)<5000" }},
  }},
}}
function default()
  local res = http.get(ENV.BASE_URL .. "/health/live")
  lueng.check(res, {{ ["status is 200"] = function(r) return r.status == 200 end }})
end
"""


def bucket_value(i, b=6):
    if i == 0:
        return 0.0
    k = abs(i) - 1
    v = 2.0 ** ((k >> b) - 32) * (1 + ((k & ((1 << b) - 1)) + 0.5) / (1 << b))
    return v if i > 0 else -v


def percentile(buckets, low, high, p):
    """k6's percentile of a histogram (docs/results.md), as lueng computes it."""
    count = sum(n for _, n in buckets)
    rank = p / 100 * (count - 1)
    lower = math.floor(rank)
    frac = rank - lower

    def at(r):
        if r == 0:
            return low  # the extreme ranks are the exact min and max
        if r + 1 >= count:
            return high
        seen = 0
        for index, n in buckets:
            seen += n
            if r < seen:
                return min(max(bucket_value(index), low), high)
        raise AssertionError("rank past the end")

    value = at(lower)
    if frac == 0 or lower + 1 >= count:
        return value
    return value + (at(lower + 1) - value) * frac


class MockAndFolder(unittest.TestCase):
    """A hotel mock and a folder for the class's runs, both gone after its tests."""

    @classmethod
    def start(cls, prefix):
        cls.mock = start_mock()
        cls.dir = tempfile.mkdtemp(prefix=prefix)

    @classmethod
    def tearDownClass(cls):
        cls.mock.stop()
        shutil.rmtree(cls.dir, ignore_errors=True)


class MergeTest(MockAndFolder):
    @classmethod
    def setUpClass(cls):
        cls.start("lueng-merge-")
        cls.script = os.path.join(cls.dir, "shared.lua")
        with open(cls.script, "w") as f:
            f.write(SCRIPT)
        with open(cls.script, "rb") as f:
            cls.sha = hashlib.sha256(f.read()).hexdigest()
        base = ["-e", f"BASE_URL=http://127.0.0.1:{cls.mock.port}"]
        cls.runs = [run_lueng(script_path=cls.script,
                              args=[*base, "-e", f"ITERATIONS={ITERATIONS}", "-e", "VUS=2"])
                    for _ in range(2)]
        # One run of the whole test: both instances' iterations and VUs in one process.
        cls.whole = run_lueng(script_path=cls.script,
                              args=[*base, "-e", f"ITERATIONS={2 * ITERATIONS}", "-e", "VUS=4"])
        cls.plain = [cls.copy(run.result_path, f"plain-{i}.json") for i, run in enumerate(cls.runs)]
        cls.halves = [cls.segment(cls.plain[0], "half-0.json", "0", "1/2", 0, 2),
                      cls.segment(cls.plain[1], "half-1.json", "1/2", "1", 1, 2)]
        cls.merged_path = os.path.join(cls.dir, "merged.json")
        cls.merge = lueng("merge", *cls.halves, "--summary-export", cls.merged_path,
                          "--out", f"html={cls.dir}/merged.html", "--no-color")
        with open(cls.merged_path) as f:
            cls.merged = json.load(f)


    @classmethod
    def copy(cls, path, name):
        target = os.path.join(cls.dir, name)
        shutil.copy(path, target)
        return target

    @classmethod
    def segment(cls, path, name, start, end, index=-1, count=0, sha=None):
        """The file as an instance running segment start:end would have written it."""
        with open(path) as f:
            result = json.load(f)
        result["execution_segment"] = {"segment": f"{start}:{end}", "from": start, "to": end,
                                       "sequence": "", "index": index, "count": count}
        result["script_sha256"] = sha or cls.sha
        target = os.path.join(cls.dir, name)
        with open(target, "w") as f:
            json.dump(result, f)
        return target

    def inputs(self):
        return [run.result for run in self.runs]

    def test_the_runs_pass_alone(self):
        for run in self.runs:
            self.assertEqual(run.code, 0, run.stderr)
            self.assertEqual(run.metric("iterations")["count"], ITERATIONS)

    def test_totals_are_the_sums_of_the_segments(self):
        self.assertEqual(self.merge.returncode, 1, self.merge.stderr)
        metrics = self.merged["metrics"]
        for name in ("http_reqs", "iterations", "data_sent", "data_received"):
            self.assertEqual(metrics[name]["values"]["count"],
                             sum(r["metrics"][name]["values"]["count"] for r in self.inputs()), name)
        self.assertEqual(metrics["iterations"]["values"]["count"], 2 * ITERATIONS)
        for field in ("passes", "fails"):
            self.assertEqual(metrics["checks"]["values"][field],
                             sum(r["metrics"]["checks"]["values"][field] for r in self.inputs()))
        self.assertEqual(self.merged["checks"][0]["passes"], 2 * ITERATIONS)
        scenario = self.merged["scenarios"][0]
        self.assertEqual(scenario["iterations_completed"], 2 * ITERATIONS)
        # As each file describes it: the test's load (here each stand-in's own run).
        self.assertEqual(scenario["vus"], 2)
        self.assertEqual(scenario["description"], self.inputs()[0]["scenarios"][0]["description"])
        self.assertEqual(self.merged["max_vus"], sum(r["max_vus"] for r in self.inputs()))
        # The time series holds every request once, by wall-clock second.
        self.assertEqual(sum(p["http_reqs"] for p in self.merged["time_series"]), 2 * ITERATIONS)
        self.assertEqual(self.merged["start_unix_ms"], min(r["start_unix_ms"] for r in self.inputs()))
        self.assertEqual(self.merged["end_unix_ms"], max(r["end_unix_ms"] for r in self.inputs()))

    def test_merged_percentiles_are_those_of_every_sample(self):
        counts = {}
        for r in self.inputs():
            for index, n in r["metrics"]["http_req_duration"]["histogram"]["buckets"]:
                counts[index] = counts.get(index, 0) + n
        buckets = sorted(counts.items())
        merged = self.merged["metrics"]["http_req_duration"]
        self.assertEqual([tuple(b) for b in merged["histogram"]["buckets"]], buckets)
        low = min(r["metrics"]["http_req_duration"]["values"]["min"] for r in self.inputs())
        high = max(r["metrics"]["http_req_duration"]["values"]["max"] for r in self.inputs())
        values = merged["values"]
        self.assertEqual(values["count"], 2 * ITERATIONS)
        self.assertEqual((values["min"], values["max"]), (low, high))
        for key, p in (("med", 50), ("p(90)", 90), ("p(95)", 95), ("p(99)", 99)):
            self.assertEqual(values[key], percentile(buckets, low, high, p), key)

    def test_the_verdict_and_exit_status_are_those_of_one_whole_run(self):
        self.assertEqual(self.whole.code, 1, self.whole.stderr)
        self.assertEqual(self.merge.returncode, self.whole.code)
        whole, merged = self.whole.result["slos"], self.merged["slos"]
        self.assertEqual(merged["verdict"], whole["verdict"])
        self.assertEqual(merged["exit_code"], whole["exit_code"])
        self.assertEqual([(r["slo"], r["status"]) for r in merged["results"]],
                         [(r["slo"], r["status"]) for r in whole["results"]])
        self.assertEqual(self.merged["exit_code"], 1)
        counts = [r for r in merged["results"] if r["slo"] == "http_reqs"]
        self.assertEqual((counts[0]["status"], counts[0]["value"]), ("FAIL", 2 * ITERATIONS))
        self.assertIn("FAILED", self.merge.stdout)

    def test_the_merged_file_names_its_inputs_and_coverage(self):
        self.assertIsNone(self.merged["execution_segment"])
        self.assertEqual(self.merged["coverage"], {"covered": ["0:1/2", "1/2:1"], "missing": []})
        self.assertEqual(self.merged["script_sha256"], self.sha)
        self.assertEqual([(m["file"], m["segment"], m["exit_code"], m["aborted_by"])
                          for m in self.merged["merged_from"]],
                         [(self.halves[0], "0:1/2", 0, ""), (self.halves[1], "1/2:1", 0, "")])
        self.assertNotIn("warning", self.merge.stderr)
        with open(os.path.join(self.dir, "merged.html")) as f:
            self.assertIn("<html", f.read())

    def test_validate_report_and_compare_read_the_merged_file(self):
        validate = lueng("validate", self.merged_path, "--format", "json")
        self.assertEqual(validate.returncode, 1, validate.stderr)
        self.assertEqual(json.loads(validate.stdout)["verdict"], "FAILED")
        markdown, junit = os.path.join(self.dir, "m.md"), os.path.join(self.dir, "m.xml")
        report = lueng("report", self.merged_path, "--markdown", markdown, "--junit", junit)
        self.assertEqual(report.returncode, 0, report.stderr)
        with open(markdown) as f:
            self.assertIn("FAILED", f.read())
        self.assertTrue(os.path.getsize(junit) > 0)
        compare = lueng("compare", self.halves[0], self.merged_path, "--format", "json")
        self.assertIn(compare.returncode, (0, 1), compare.stderr)
        self.assertTrue(json.loads(compare.stdout))

    def test_a_missing_segment_is_warned_about_and_recorded(self):
        path = os.path.join(self.dir, "part.json")
        part = lueng("merge", self.halves[0], "--summary-export", path)
        self.assertEqual(part.returncode, 0, part.stderr)  # half the requests: count<36 holds
        self.assertIn("lueng merge: warning: segments missing: 1/2:1", part.stderr)
        with open(path) as f:
            merged = json.load(f)
        self.assertEqual(merged["coverage"], {"covered": ["0:1/2"], "missing": ["1/2:1"]})
        self.assertEqual(merged["execution_segment"]["segment"], "0:1/2")

    def test_slo_file_overrides_the_runs_own(self):
        slo = os.path.join(self.dir, "slo.lua")
        with open(slo, "w") as f:
            f.write(f'return {{ http_reqs = {{ "count<{4 * ITERATIONS}" }} }}\n')
        done = lueng("merge", *self.halves, "--slo", slo, "--no-color")
        self.assertEqual(done.returncode, 0, done.stderr)
        self.assertIn(f"count<{4 * ITERATIONS}", done.stdout)
        self.assertIn("PASSED", done.stdout)

    def test_an_abort_in_one_segment_aborts_the_merged_run(self):
        with open(self.halves[1]) as f:
            result = json.load(f)
        where = result["slos"]["results"][0]["where"]
        result["slos"]["aborted_by"] = where
        aborted = os.path.join(self.dir, "aborted-1.json")
        with open(aborted, "w") as f:
            json.dump(result, f)
        path = os.path.join(self.dir, "aborted.json")
        done = lueng("merge", self.halves[0], aborted, "--summary-export", path)
        self.assertEqual(done.returncode, 2, done.stderr)
        self.assertIn(f"lueng merge: {aborted} (segment 1/2:1) was aborted by {where} at ", done.stderr)
        with open(path) as f:
            merged = json.load(f)
        self.assertEqual((merged["slos"]["verdict"], merged["slos"]["aborted_by"]), ("ABORTED", where))
        self.assertEqual(merged["merged_from"][1]["aborted_by"], where)
        self.assertEqual(merged["merged_from"][1]["end_unix_ms"], result["end_unix_ms"])

    def refused(self, *files):
        done = lueng("merge", *files, "--summary-export", os.path.join(self.dir, "refused.json"))
        self.assertEqual(done.returncode, 104, done.stdout + done.stderr)
        self.assertFalse(os.path.exists(os.path.join(self.dir, "refused.json")))
        return done.stderr

    def test_unsegmented_runs_overlap_and_are_refused(self):
        stderr = self.refused(*self.plain)
        self.assertIn(f"{self.plain[0]} and {self.plain[1]} cover the same part of the test", stderr)
        self.assertIn("the whole test, 0:1", stderr)

    def test_overlapping_segments_are_refused(self):
        wide = self.segment(self.plain[0], "wide.json", "0", "2/3")
        stderr = self.refused(wide, self.halves[1])
        self.assertIn(f"{wide} and {self.halves[1]} cover the same part of the test (0:2/3 and 1/2:1)",
                      stderr)

    def test_files_of_different_scripts_are_refused(self):
        other = self.segment(self.plain[1], "other.json", "1/2", "1", sha="0" * 64)
        stderr = self.refused(self.halves[0], other)
        self.assertIn(f"{self.halves[0]} and {other} ran different scripts", stderr)

    def test_unreadable_files_are_refused_with_the_readers_message(self):
        broken = os.path.join(self.dir, "broken.json")
        with open(broken, "w") as f:
            f.write('{"schema": "lueng.result/1", "metrics": ')
        self.assertIn(f"lueng merge: {broken}: not JSON", self.refused(self.halves[0], broken))
        missing = os.path.join(self.dir, "absent.json")
        self.assertIn(f"{missing}: cannot read", self.refused(missing))
        bad = self.segment(self.plain[0], "bad.json", "2/3", "1/3")
        self.assertIn(f"{bad}: execution_segment", self.refused(bad))

    def test_outputs_that_stream_samples_are_refused(self):
        done = lueng("merge", *self.halves, "--out", f"json={self.dir}/samples.json")
        self.assertEqual(done.returncode, 104)
        self.assertIn("streams the samples of a run", done.stderr)


class SegmentedRunsTest(MockAndFolder):
    """Three real instances, `lueng run --segment-index I --segment-count 3`, merged:
    the same totals as one run of the whole test (shared-iterations: exact), the
    merged percentiles those of every instance's samples, and its verdict."""

    @classmethod
    def setUpClass(cls):
        cls.start("lueng-merge-segments-")
        script = os.path.join(cls.dir, "shared.lua")
        with open(script, "w") as f:
            f.write(SCRIPT)
        base = ["-e", f"BASE_URL=http://127.0.0.1:{cls.mock.port}", "-e", "ITERATIONS=30",
                "-e", "VUS=3"]
        cls.whole = run_lueng(script_path=script, args=base)
        cls.instances = [run_lueng(script_path=script,
                                   args=[*base, "--segment-index", str(i), "--segment-count", "3"])
                         for i in range(3)]
        cls.merged_path = os.path.join(cls.dir, "merged.json")
        cls.merge = lueng("merge", *[run.result_path for run in cls.instances],
                          "--summary-export", cls.merged_path)
        with open(cls.merged_path) as f:
            cls.merged = json.load(f)


    def test_merged_totals_equal_one_whole_run(self):
        for run in self.instances:
            self.assertEqual(run.code, 0, run.stderr)  # an instance is not the verdict
        self.assertNotIn("warning", self.merge.stderr)
        self.assertEqual(self.merged["coverage"]["missing"], [])
        for name in ("iterations", "http_reqs"):
            self.assertEqual(self.merged["metrics"][name]["values"]["count"],
                             self.whole.result["metrics"][name]["values"]["count"], name)
        self.assertEqual(self.merged["metrics"]["iterations"]["values"]["count"], 30)
        self.assertEqual(self.merged["scenarios"][0]["vus"], 3)

    def test_merged_percentiles_are_those_of_every_instances_samples(self):
        counts = {}
        for run in self.instances:
            for index, n in run.result["metrics"]["http_req_duration"]["histogram"]["buckets"]:
                counts[index] = counts.get(index, 0) + n
        buckets = sorted(counts.items())
        values = self.merged["metrics"]["http_req_duration"]["values"]
        for key, p in (("med", 50), ("p(95)", 95), ("p(99)", 99)):
            self.assertEqual(values[key], percentile(buckets, values["min"], values["max"], p))

    def test_the_verdict_is_the_whole_runs(self):
        self.assertEqual(self.whole.code, 0, self.whole.stderr)  # 30 requests: count<36 holds
        self.assertEqual(self.merge.returncode, self.whole.code, self.merge.stderr)
        self.assertEqual(self.merged["slos"]["verdict"], self.whole.result["slos"]["verdict"])


if __name__ == "__main__":
    unittest.main()
